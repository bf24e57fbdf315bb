/** Implementation of the discovery sources; not a public API. */
@NullMarked
package io.meshclient.discovery.internal;

import org.jspecify.annotations.NullMarked;
