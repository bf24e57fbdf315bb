package io.meshclient.api;

import java.io.IOException;

/**
 * Announces this process as an endpoint of a service in a registry (etcd, Consul): the provider
 * side of discovery. A registration stays alive (lease keep-alive, TTL check) until it is closed,
 * which removes it from the registry; if the process dies, the registry drops it when its lease or
 * check lapses.
 *
 * <pre>{@code
 * try (ServiceRegistration.Registration r = registration.register("orders", self)) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe; closing the registry closes every registration it made.
 */
public interface ServiceRegistration extends AutoCloseable {
  /**
   * Registers {@code self} as an endpoint of {@code service} and keeps it registered until the
   * returned handle is closed.
   *
   * @throws IOException if the registry could not be reached or refused the registration
   */
  Registration register(String service, Endpoint self) throws IOException;

  /** Closes every registration made through this instance and releases its resources. */
  @Override
  void close();

  /** One live registration; closing it deregisters the endpoint. Idempotent. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
