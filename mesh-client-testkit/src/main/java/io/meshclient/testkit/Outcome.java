package io.meshclient.testkit;

import io.meshclient.api.MeshConfigException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a simulated backend does with one attempt: answers with a status after some time, refuses
 * the connection after some time, or never answers (the attempt then ends when its timeout fires).
 * A {@link Behaviour} returns one per attempt.
 *
 * <pre>{@code
 * Outcome.ok(Duration.ofMillis(10));
 * Outcome.status(503, Duration.ofMillis(2)).withRetryAfter(Duration.ofSeconds(1));
 * Outcome.connectFailure(Duration.ofMillis(1));
 * Outcome.noAnswer();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Outcome {
  /** The three ways an attempt can end at the backend. */
  public enum Kind {
    /** An HTTP response with a {@linkplain #status() status}. */
    RESPONSE,
    /** The connection was refused (or timed out connecting): nothing was sent. */
    CONNECT_FAILURE,
    /** The backend never answers; the attempt ends when its timeout fires. */
    NO_ANSWER
  }

  private static final Outcome NO_ANSWER = new Outcome(Kind.NO_ANSWER, 0, Long.MAX_VALUE, -1);

  private final Kind kind;
  private final int status;
  private final long latencyNanos;
  private final long retryAfterNanos;

  private Outcome(Kind kind, int status, long latencyNanos, long retryAfterNanos) {
    this.kind = kind;
    this.status = status;
    this.latencyNanos = latencyNanos;
    this.retryAfterNanos = retryAfterNanos;
  }

  /** A 200 response after {@code latency}. */
  public static Outcome ok(Duration latency) {
    return status(200, latency);
  }

  /** A 200 response after {@code latencyNanos} nanoseconds. */
  public static Outcome ok(long latencyNanos) {
    return status(200, latencyNanos);
  }

  /** A response with {@code status} (100..599) after {@code latency}. */
  public static Outcome status(int status, Duration latency) {
    return status(status, latency.toNanos());
  }

  /** A response with {@code status} (100..599) after {@code latencyNanos} nanoseconds. */
  public static Outcome status(int status, long latencyNanos) {
    if (status < 100 || status > 599) {
      throw new MeshConfigException("outcome.status", status, "an HTTP status in 100..599");
    }
    return new Outcome(Kind.RESPONSE, status, checkLatency(latencyNanos), -1);
  }

  /** A refused connection after {@code latency}: nothing reached the backend. */
  public static Outcome connectFailure(Duration latency) {
    return connectFailure(latency.toNanos());
  }

  /** A refused connection after {@code latencyNanos} nanoseconds. */
  public static Outcome connectFailure(long latencyNanos) {
    return new Outcome(Kind.CONNECT_FAILURE, 0, checkLatency(latencyNanos), -1);
  }

  /** No answer at all: the attempt ends when its timeout fires (or never, without a timeout). */
  public static Outcome noAnswer() {
    return NO_ANSWER;
  }

  private static long checkLatency(long nanos) {
    if (nanos < 0) {
      throw new MeshConfigException("outcome.latency", Duration.ofNanos(nanos), ">= 0s");
    }
    return nanos;
  }

  /**
   * This response with a {@code Retry-After} of {@code after}; the mesh honours it for 429 and 503
   * answers by avoiding the endpoint that long.
   */
  public Outcome withRetryAfter(Duration after) {
    if (kind != Kind.RESPONSE) {
      throw new MeshConfigException("outcome.retryAfter", after, "a response outcome, not " + kind);
    }
    if (after.isNegative()) {
      throw new MeshConfigException("outcome.retryAfter", after, ">= 0s");
    }
    return new Outcome(kind, status, latencyNanos, after.toNanos());
  }

  /** This outcome taking {@code factor} times as long ({@link #noAnswer()} stays as it is). */
  public Outcome slower(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new MeshConfigException("outcome.slower", factor, "a finite factor > 0");
    }
    if (kind == Kind.NO_ANSWER) {
      return this;
    }
    double scaled = latencyNanos * factor;
    return new Outcome(kind, status, scaled >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) scaled, retryAfterNanos);
  }

  /** How the attempt ends. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status of a {@link Kind#RESPONSE}; 0 otherwise. */
  public int status() {
    return status;
  }

  /** How long after sending the outcome arrives; {@link Long#MAX_VALUE} for {@link Kind#NO_ANSWER}. */
  public long latencyNanos() {
    return latencyNanos;
  }

  /** The {@code Retry-After} of the response in nanoseconds, or -1 when it has none. */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Outcome)) {
      return false;
    }
    Outcome that = (Outcome) o;
    return kind == that.kind && status == that.status && latencyNanos == that.latencyNanos
        && retryAfterNanos == that.retryAfterNanos;
  }

  @Override
  public int hashCode() {
    return (kind.hashCode() * 31 + status) * 31 + Long.hashCode(latencyNanos) * 31 + Long.hashCode(retryAfterNanos);
  }

  @Override
  public String toString() {
    switch (kind) {
      case RESPONSE:
        return "Outcome{" + status + " after " + Duration.ofNanos(latencyNanos)
            + (retryAfterNanos >= 0 ? ", Retry-After " + Duration.ofNanos(retryAfterNanos) : "") + "}";
      case CONNECT_FAILURE:
        return "Outcome{connect failure after " + Duration.ofNanos(latencyNanos) + "}";
      default:
        return "Outcome{no answer}";
    }
  }
}
