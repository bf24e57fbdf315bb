package io.meshclient.core.internal;

import io.meshclient.api.CircuitOpenException;
import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.RateLimitedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.jspecify.annotations.Nullable;

/**
 * A call's or an attempt's outcome as one of a few fixed names, for metric tags and log fields:
 * {@code SUCCESS}, {@code INFORMATIONAL}, {@code REDIRECTION}, {@code CLIENT_ERROR},
 * {@code SERVER_ERROR} by status class; for a failure without an answer, {@code DEADLINE_EXCEEDED},
 * {@code CIRCUIT_OPEN}, {@code NO_ENDPOINT}, {@code REJECTED}, {@code TIMEOUT}, {@code IO_ERROR} or
 * {@code UNKNOWN}; for an attempt the mesh itself cancelled (a hedge race's loser, an attempt of a
 * call the caller cancelled), {@code CANCELLED}, which is not an error.
 *
 * <pre>{@code
 * Outcomes.of(503, null);               // "SERVER_ERROR"
 * Outcomes.of(0, new ConnectException()); // "IO_ERROR"
 * }</pre>
 */
public final class Outcomes {
  private Outcomes() {}

  /** The outcome of an answer with {@code status}, or of {@code failure} when there is none. */
  public static String of(int status, @Nullable Throwable failure) {
    if (status > 0 && failure == null) {
      return ofStatus(status);
    }
    if (failure instanceof AttemptCancelledException) {
      return "CANCELLED";
    }
    if (failure instanceof DeadlineExceededException) {
      return "DEADLINE_EXCEEDED";
    }
    if (failure instanceof CircuitOpenException) {
      return "CIRCUIT_OPEN";
    }
    if (failure instanceof NoEndpointAvailableException) {
      return "NO_ENDPOINT";
    }
    if (failure instanceof RateLimitedException) {
      return "REJECTED";
    }
    if (failure instanceof InterruptedIOException) {
      return "TIMEOUT";
    }
    if (failure instanceof IOException) {
      return "IO_ERROR";
    }
    return "UNKNOWN";
  }

  /** The outcome of an answer with {@code status}, by its class. */
  public static String ofStatus(int status) {
    if (status >= 500) {
      return "SERVER_ERROR";
    }
    if (status >= 400) {
      return "CLIENT_ERROR";
    }
    if (status >= 300) {
      return "REDIRECTION";
    }
    if (status >= 200) {
      return "SUCCESS";
    }
    return status >= 100 ? "INFORMATIONAL" : "UNKNOWN";
  }

  /**
   * OpenTelemetry's {@code error.type}: the status code for a 4xx or 5xx answer, the failure's
   * class name for a call without one, or {@code null} for success and for an attempt the mesh
   * cancelled ({@code CANCELLED}).
   */
  public static @Nullable String errorType(int status, @Nullable Throwable failure) {
    if (failure instanceof AttemptCancelledException) {
      return null;
    }
    if (failure != null) {
      return failure.getClass().getName();
    }
    return status >= 400 ? String.valueOf(status) : null;
  }
}
