/** Egress access control on the request path: the guard that applies an EgressPolicy. Not a public API. */
@NullMarked
package io.meshclient.core.internal.egress;

import org.jspecify.annotations.NullMarked;
