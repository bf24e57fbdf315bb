package io.meshclient.api;

import java.time.Duration;

/**
 * The service's own circuit breaker (on top of the per-endpoint ones) is open: too many recent calls
 * to the service failed, whatever endpoint they went to, so this one was refused without touching
 * the network.
 *
 * <pre>{@code
 * catch (ServiceCircuitOpenException e) { return cachedAnswer(); }
 * }</pre>
 */
public final class ServiceCircuitOpenException extends MeshException {
  private final Duration retryAfter;

  /** A call to {@code service} was refused; the breaker lets a trial call through after {@code retryAfter}. */
  public ServiceCircuitOpenException(String service, Duration retryAfter) {
    super(service, "call to service '" + service + "' refused: the service's circuit breaker is open"
        + (retryAfter.isZero() ? "" : "; trial calls in " + retryAfter.toMillis() + " ms"), null);
    this.retryAfter = retryAfter;
  }

  /** How long until the breaker lets trial calls through; zero if unknown. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
