package io.meshclient.api;

import java.time.Duration;

/**
 * The call was refused by the service's rate limit ({@link RateLimitPolicy}) before any network
 * I/O.
 *
 * <pre>{@code
 * catch (RateLimitedException e) { retryLater(e.retryAfter()); }
 * }</pre>
 */
public final class RateLimitedException extends MeshException {
  private final Duration retryAfter;

  /** A call to {@code service} was refused; a new permit is expected after {@code retryAfter}. */
  public RateLimitedException(String service, Duration retryAfter) {
    super(service, "call to service '" + service + "' refused by its rate limit; retry after "
        + retryAfter.toMillis() + " ms", null);
    this.retryAfter = retryAfter;
  }

  /** How long until a call is expected to be admitted again; zero if unknown. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
