/**
 * The transport-neutral public types of mesh-client: endpoints and endpoint sets, the
 * {@link io.meshclient.api.ServiceDiscovery} and {@link io.meshclient.api.LoadBalancer} SPIs,
 * the immutable policy values ({@link io.meshclient.api.ServicePolicy} and its parts), the
 * {@link io.meshclient.api.MeshException} family callers catch, and
 * {@link io.meshclient.api.MeshConfigException} for bad configuration.
 *
 * <p>Every value here is immutable and safe to share between threads.
 */
@NullMarked
package io.meshclient.api;

import org.jspecify.annotations.NullMarked;
