/**
 * The mesh engine's public face: {@link io.meshclient.core.MeshClient} and its builder, the
 * per-service {@link io.meshclient.core.ServiceBuilder}, the built-in
 * {@link io.meshclient.core.StaticDiscovery}, and {@link io.meshclient.core.MeshSnapshot}, the
 * admin view as plain data.
 *
 * <pre>{@code
 * MeshClient mesh = MeshClient.builder()
 *     .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.7", 8080), Endpoint.of("10.0.0.8", 8080)))
 *     .build();
 * OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();
 * client.newCall(new Request.Builder().url("http://orders/api/orders/42").build()).execute();
 * }</pre>
 */
@NullMarked
package io.meshclient.core;

import org.jspecify.annotations.NullMarked;
