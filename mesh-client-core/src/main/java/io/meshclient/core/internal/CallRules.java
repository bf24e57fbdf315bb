package io.meshclient.core.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * What a mesh call reads off requests, answers and failures: the endpoint's URL for an attempt,
 * which methods are idempotent, what a {@code Retry-After} asks for, which failures happened before
 * anything was sent and which ran out of time. Stateless.
 */
final class CallRules {
  /**
   * The longest {@code Retry-After} a call waits before its retry (60 s), with or without a
   * deadline: an answer that asks for more quiet ends the call at once, as that answer.
   * Documented in docs/resilience.md.
   */
  static final long MAX_RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(60);

  private CallRules() {}

  /** The request with the endpoint's scheme, host and port; path, query and credentials kept. */
  static Request.Builder rewrite(Request request, EndpointState endpoint) {
    HttpUrl logical = request.url();
    HttpUrl.Builder url = endpoint.baseUrl().newBuilder().encodedPath(logical.encodedPath());
    String query = logical.encodedQuery();
    if (query != null) {
      url.encodedQuery(query);
    }
    if (!logical.encodedUsername().isEmpty()) {
      url.encodedUsername(logical.encodedUsername()).encodedPassword(logical.encodedPassword());
    }
    return request.newBuilder().url(url.build());
  }

  /** The smaller of two timeouts where 0 means none. */
  static long effectiveTimeout(long a, long b) {
    return a <= 0 ? Math.max(b, 0) : b <= 0 ? a : Math.min(a, b);
  }

  /** {@code start + nanos} for {@code nanos >= 0}, or {@link Long#MAX_VALUE} (no deadline) past it. */
  static long plus(long start, long nanos) {
    long sum = start + nanos;
    return sum < start ? Long.MAX_VALUE : sum;
  }

  static long minPositive(long perTry, long remaining) {
    return perTry > 0 ? Math.min(perTry, remaining) : remaining;
  }

  static boolean isIdempotent(String method) {
    switch (method) {
      case "GET":
      case "HEAD":
      case "OPTIONS":
      case "PUT":
      case "DELETE":
      case "TRACE":
        return true;
      default:
        return false;
    }
  }

  /**
   * What a 429 or 503 answer's {@code Retry-After} asks for, in nanoseconds (seconds or an HTTP
   * date), or -1 when there is none or the status does not ask for less traffic.
   */
  static long retryAfterNanos(Response response) {
    int code = response.code();
    if (code != 429 && code != 503) {
      return -1;
    }
    String value = response.header("Retry-After");
    if (value == null) {
      return -1;
    }
    try {
      long seconds = Long.parseLong(value.trim());
      return seconds < 0 ? -1 : TimeUnit.SECONDS.toNanos(seconds);
    } catch (NumberFormatException notSeconds) {
      java.util.Date date = response.headers().getDate("Retry-After");
      if (date == null) {
        return -1;
      }
      long millis = date.getTime() - System.currentTimeMillis();
      return millis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(millis);
    }
  }

  static boolean isOneShot(@Nullable RequestBody body) {
    return body != null && body.isOneShot();
  }

  /** Whether the attempt failed before a connection existed, so nothing was sent. */
  static boolean isConnectFailure(IOException e) {
    if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
      return true;
    }
    String message = e.getMessage();
    return e instanceof SocketTimeoutException && message != null
        && message.toLowerCase(Locale.ROOT).startsWith("connect timed out");
  }

  /** Whether the attempt ran out of its time (the call timeout OkHttp enforces, or a socket read). */
  static boolean isTimeout(IOException e) {
    return e instanceof SocketTimeoutException
        || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()));
  }

  /** Whether a draw falls within {@code percent} (0..100) of the time. */
  static boolean drawn(RandomGenerator random, double percent) {
    return percent >= 100 || random.nextDouble() * 100 < percent;
  }
}
