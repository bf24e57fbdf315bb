/**
 * Service registries beyond the built-in static one, each a {@link io.meshclient.api.ServiceDiscovery}
 * chosen by URI scheme through a {@link io.meshclient.api.ServiceDiscoveryProvider}:
 * {@link io.meshclient.discovery.FileDiscovery} ({@code file:}, hot reload),
 * {@link io.meshclient.discovery.DnsDiscovery} ({@code dns:} and {@code dns+srv:}),
 * {@link io.meshclient.discovery.ConsulDiscovery} ({@code consul:}), etcd in
 * {@code io.meshclient.discovery.etcd} ({@code etcd:}, with registration) and Kubernetes
 * EndpointSlices in {@code io.meshclient.discovery.k8s} ({@code k8s:}); plus
 * {@link io.meshclient.discovery.CompositeDiscovery} to combine sources and
 * {@link io.meshclient.discovery.ConsulRegistration} to announce a service.
 *
 * <pre>{@code
 * MeshClient mesh = MeshClient.builder()
 *     .discovery("consul://127.0.0.1:8500")                              // every service, by its name
 *     .service("orders", s -> s.discovery("dns+srv:///_http._tcp.orders.prod"))
 *     .build();
 * }</pre>
 *
 * <p>Every source pushes whole snapshots, never pushes an empty set because it failed (the mesh
 * keeps the last known good endpoints), and reports failures through
 * {@link io.meshclient.api.ServiceDiscovery.Listener#onError}.
 */
@NullMarked
package io.meshclient.discovery;

import org.jspecify.annotations.NullMarked;
