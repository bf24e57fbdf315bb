package io.meshclient.api;

import java.util.List;

/**
 * Chooses the endpoint for one attempt of a call: the SPI behind every balancing strategy. The
 * mesh creates one balancer per service through a {@link LoadBalancerFactory} found by name, and
 * calls {@link #pick} once per attempt with the service's current endpoints.
 *
 * <pre>{@code
 * final class FirstAvailable implements LoadBalancer {
 *   public PickResult pick(PickContext context) {
 *     for (EndpointStats candidate : context.endpoints()) {
 *       if (!context.isExcluded(candidate)) {
 *         return PickResult.of(candidate);
 *       }
 *     }
 *     return PickResult.none("every endpoint is excluded");
 *   }
 * }
 * }</pre>
 *
 * <p>Contract: {@code pick} never returns {@code null} and never returns an excluded candidate
 * or one that is not in {@link PickContext#endpoints()}; when nothing fits it returns
 * {@link PickResult#none(String)} with the reason. It is called concurrently from many threads
 * and must not block: keep state in atomics, take no lock.
 */
@FunctionalInterface
public interface LoadBalancer {
  /** Picks the endpoint for one attempt, or says why none fits. */
  PickResult pick(PickContext context);

  /**
   * The eligible endpoints changed: {@code endpoints} is a list that {@link PickContext#endpoints()}
   * will return from now on (one call per list: with zones, the local and the remote one). Called
   * off the request path, when discovery, health or ejections change the set, so a balancer that
   * derives a structure from the list (a hash ring, a lookup table) builds it here and no pick pays
   * for it. It may cache by the list's identity. The default does nothing.
   */
  default void prepare(List<? extends EndpointStats> endpoints) {}
}
