/**
 * The engine behind {@link io.meshclient.core.MeshClient}: clusters and their endpoint
 * snapshots, per-endpoint state, the built-in load balancers, and the attempt loop of one call.
 * Not a public API: types here change without notice.
 */
@NullMarked
package io.meshclient.core.internal;

import org.jspecify.annotations.NullMarked;
