package io.meshclient.api;

import java.util.List;

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

  /** The service's endpoints, in discovery order; a snapshot that does not change under the pick. */
  List<? extends EndpointStats> endpoints();

  /** Whether {@code candidate} must not be chosen for this attempt. */
  boolean isExcluded(EndpointStats candidate);
}
