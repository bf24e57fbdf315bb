/**
 * Service registries beyond the built-in static one. Planned here: a file source with hot reload,
 * DNS (A/AAAA and SRV), Consul, Kubernetes EndpointSlices and etcd, each a
 * {@code io.meshclient.api.ServiceDiscovery} found by URI scheme. Nothing lives here yet: the
 * static registry in {@code mesh-client-core} is the embedded default.
 */
@NullMarked
package io.meshclient.discovery;

import org.jspecify.annotations.NullMarked;
