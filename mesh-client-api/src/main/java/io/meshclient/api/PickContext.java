package io.meshclient.api;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link LoadBalancer} picks from for one attempt: the service's current endpoints and
 * which of them this attempt must avoid (already tried by this call when others remain, or
 * rejected by their circuit breaker).
 *
 * <pre>{@code
 * for (EndpointStats candidate : context.endpoints()) {
 *   if (!context.isExcluded(candidate)) { ... }
 * }
 * }</pre>
 *
 * <p>Valid only during the {@code pick} call it is passed to; not to be kept or shared.
 */
public interface PickContext {
  /** The logical service name the call is addressed to. */
  String service();

  /**
   * The endpoints to pick from, in discovery order: the service's healthy endpoints in the zone
   * chosen for this attempt (or all of them in panic mode). A snapshot that does not change under
   * the pick; the same list instance is passed until the eligible set changes, so a balancer may
   * cache what it derives from it by identity.
   */
  List<? extends EndpointStats> endpoints();

  /** Whether {@code candidate} must not be chosen for this attempt. */
  boolean isExcluded(EndpointStats candidate);

  /**
   * The request's key for consistent hashing, as the service's hash key setting reads it, or
   * {@code null} when the service has none or the request lacks it. The default is {@code null}.
   */
  default @Nullable String hashKey() {
    return null;
  }

  /**
   * The random source to draw from, so that a simulation with a seed replays exactly. The default
   * is {@link ThreadLocalRandom#current()}.
   */
  default RandomGenerator random() {
    return ThreadLocalRandom.current();
  }
}
