/**
 * A Spring Boot gateway that calls an {@code orders} service through {@code RestClient} and the
 * mesh, configured only in {@code application.yaml}; {@link io.meshclient.examples.gateway.OrdersServer}
 * is the orders service, started once per instance.
 */
@NullMarked
package io.meshclient.examples.gateway;

import org.jspecify.annotations.NullMarked;
