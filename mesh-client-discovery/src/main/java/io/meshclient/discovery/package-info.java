/**
 * Service registries beyond the built-in static one, each a
 * {@code io.meshclient.api.ServiceDiscovery} found by URI scheme through
 * {@code io.meshclient.api.ServiceDiscoveryProvider}: etcd in {@code io.meshclient.discovery.etcd}
 * (with registration), Kubernetes EndpointSlices in {@code io.meshclient.discovery.k8s}. The static
 * registry in {@code mesh-client-core} stays the embedded default.
 */
@NullMarked
package io.meshclient.discovery;

import org.jspecify.annotations.NullMarked;
