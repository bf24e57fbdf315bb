package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One finished attempt of a call, as a {@link MeshEventListener} hears it: where it went, how it
 * ended and how long it took (until response headers or failure).
 *
 * <pre>{@code
 * if (event.failure() != null || event.statusCode() >= 500) errors.increment();
 * }</pre>
 *
 * <p>Immutable.
 */
public final class AttemptEvent {
  private final String service;
  private final Endpoint endpoint;
  private final int attempt;
  private final int statusCode;
  private final @Nullable Throwable failure;
  private final long durationNanos;

  /**
   * An attempt to {@code endpoint} of {@code service}.
   *
   * @param attempt 0 for the first attempt of a call, 1 for the first retry, ...
   * @param statusCode the response status, or 0 when the attempt failed without one
   * @param failure the I/O failure, or {@code null} when a response arrived
   * @param durationNanos from sending to response headers or failure
   */
  public AttemptEvent(String service, Endpoint endpoint, int attempt, int statusCode,
      @Nullable Throwable failure, long durationNanos) {
    this.service = requireNonNull(service, "service");
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.attempt = attempt;
    this.statusCode = statusCode;
    this.failure = failure;
    this.durationNanos = durationNanos;
  }

  /** The logical service. */
  public String service() {
    return service;
  }

  /** The endpoint the attempt went to. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** 0 for the first attempt of a call, 1 for the first retry, and so on. */
  public int attempt() {
    return attempt;
  }

  /** The response status, or 0 if the attempt failed without a response. */
  public int statusCode() {
    return statusCode;
  }

  /** The I/O failure, or {@code null} if a response arrived. */
  public @Nullable Throwable failure() {
    return failure;
  }

  /** Nanoseconds from sending to response headers or failure. */
  public long durationNanos() {
    return durationNanos;
  }

  @Override
  public String toString() {
    return "AttemptEvent{" + service + " #" + attempt + " -> " + endpoint.id() + ": "
        + (failure != null ? failure.toString() : String.valueOf(statusCode)) + " in "
        + durationNanos / 1_000 + " us}";
  }
}
