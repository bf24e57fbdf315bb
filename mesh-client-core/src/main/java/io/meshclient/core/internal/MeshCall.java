package io.meshclient.core.internal;

import io.meshclient.api.AttemptEvent;
import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.RetriesExhaustedException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.TimeoutPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One logical call to a service: the attempt loop. Each attempt picks an endpoint (skipping the
 * ones already tried while others remain, and those whose breaker refuses), sends the request
 * there on the transport client with the attempt's timeout, records the outcome on the endpoint,
 * and decides whether to try again.
 *
 * <p>One instance per call, used by one thread.
 */
final class MeshCall {
  private final Cluster cluster;
  private final Interceptor.Chain chain;
  private final Request request;
  private final MeshInterceptor mesh;

  private final PickState picks;
  private @Nullable List<IOException> failures;
  private long deadline = Long.MAX_VALUE;
  private CallObserver.Call observation = CallObserver.Call.NONE;
  private int attempts;
  private io.meshclient.api.@Nullable Endpoint lastEndpoint;

  MeshCall(Cluster cluster, Interceptor.Chain chain, MeshInterceptor mesh) {
    this.cluster = cluster;
    this.chain = chain;
    this.request = chain.request();
    this.mesh = mesh;
    this.picks = cluster.newPickState(cluster.requestKey().of(request));
  }

  Response execute() throws IOException {
    observation = mesh.observer().start(cluster, request);
    try {
      Response response = run();
      observation.end(response, null, attempts, lastEndpoint);
      return response;
    } catch (IOException | RuntimeException | Error e) {
      observation.end(null, e, attempts, lastEndpoint);
      throw e;
    }
  }

  private Response run() throws IOException {
    RetryPolicy retry = cluster.policy().retry();
    TimeoutPolicy timeouts = cluster.policy().timeouts();
    long start = mesh.ticker().read();
    long timeoutNanos = effectiveTimeout(timeouts.timeout().toNanos(), chain.call().timeout().timeoutNanos());
    deadline = timeoutNanos > 0 ? start + timeoutNanos : Long.MAX_VALUE;
    long perTry = timeouts.perTryTimeout().toNanos();
    boolean replayable = !isOneShot(request.body());
    boolean retryAnyFailure = replayable && (isIdempotent(request.method()) || retry.retryNonIdempotent());

    for (int attempt = 0; ; attempt++) {
      if (chain.call().isCanceled()) {
        throw new IOException("Canceled");
      }
      long now = mesh.ticker().read();
      if (now >= deadline) {
        throw deadlineExceeded(timeoutNanos, attempt, lastFailure());
      }
      if (!cluster.discovered()) {
        // Before discovery's first answer: wait for it, within the initial window and the deadline.
        cluster.discovery().awaitFirstAnswer(deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now);
        now = mesh.ticker().read();
        if (!cluster.discovered()) {
          throw cluster.discovery().noEndpoints(); // names the service and the source that has not answered
        }
        if (now >= deadline) {
          throw deadlineExceeded(timeoutNanos, attempt, lastFailure());
        }
      }
      EndpointState endpoint = pickOrExplain(attempt);
      long attemptTimeout = deadline == Long.MAX_VALUE ? perTry : minPositive(perTry, deadline - now);

      Response response = null;
      IOException failure = null;
      Request.Builder attemptRequest = rewrite(request, endpoint);
      CallObserver.Attempt attemptObservation = observation.attempt(attempt, endpoint, picks, attemptRequest, false);
      attempts = attempt + 1;
      lastEndpoint = endpoint.endpoint();
      endpoint.onSend();
      long sent = mesh.ticker().read();
      try {
        Call call = mesh.transport(cluster).newCall(attemptRequest.build());
        if (attemptTimeout > 0) {
          call.timeout().timeout(attemptTimeout, TimeUnit.NANOSECONDS);
        }
        response = call.execute();
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException | Error e) {
        endpoint.abandon();
        throw e;
      }
      long ended = mesh.ticker().read();
      long took = ended - sent;
      boolean canceled = chain.call().isCanceled();
      attemptObservation.end(response != null ? response.code() : 0, failure, took);

      if (response != null) {
        cluster.onResponse(endpoint, response.code(), took, retryAfterNanos(response));
        report(endpoint, attempt, response.code(), null, took);
        // Checking the class first keeps a successful call from boxing its status.
        boolean retryable = retryAnyFailure && response.code() >= 400 && retry.retryStatuses().contains(response.code());
        if (!retryable || canceled || attempt + 1 >= retry.maxAttempts()) {
          return response;
        }
        long backoff = backoff(retry, attempt + 1);
        if (ended + backoff >= deadline) {
          return response; // no time for another attempt: the caller gets this answer
        }
        // A failed attempt's body is closed before the next one: nothing leaks.
        response.close();
        failed(new IOException("attempt " + (attempt + 1) + " to " + endpoint.endpoint().address()
            + " answered HTTP " + response.code()));
        observation.retry("status_" + response.code());
        pause(backoff);
        continue;
      }

      // The caller gave up (cancel, or its own call timeout): the attempt is heard but not held
      // against the endpoint.
      if (canceled) {
        endpoint.abandon();
      } else {
        cluster.onFailure(endpoint, failure, took, isConnectFailure(failure));
      }
      report(endpoint, attempt, 0, failure, took);
      if (canceled) {
        throw failure;
      }
      if (ended >= deadline) {
        throw deadlineExceeded(timeoutNanos, attempt + 1, failure);
      }
      boolean retryable = retryAnyFailure
          || (replayable && retry.retryOnConnectFailure() && isConnectFailure(failure));
      if (!retryable) {
        throw attempt == 0 ? failure : exhausted(attempt + 1, failure);
      }
      if (attempt + 1 >= retry.maxAttempts()) {
        throw attempt == 0 ? failure : exhausted(attempt + 1, failure); // one attempt: nothing was retried
      }
      long backoff = backoff(retry, attempt + 1);
      if (ended + backoff >= deadline) {
        throw deadlineExceeded(timeoutNanos, attempt + 1, failure);
      }
      failed(failure);
      observation.retry(isConnectFailure(failure) ? "connect_failure" : "io_error");
      pause(backoff);
    }
  }

  /** {@link #pick}, with the failures of earlier attempts attached to a failed pick. */
  private EndpointState pickOrExplain(int attempt) throws NoEndpointAvailableException {
    try {
      return cluster.pick(picks, attempt);
    } catch (NoEndpointAvailableException e) {
      if (failures != null) {
        failures.forEach(e::addSuppressed);
      }
      throw e;
    }
  }

  /** The request with the endpoint's scheme, host and port; path, query and credentials kept. */
  private static Request.Builder rewrite(Request request, EndpointState endpoint) {
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

  private void report(EndpointState endpoint, int attempt, int status, @Nullable IOException failure, long took) {
    MeshEventListener listener = mesh.listener();
    if (listener != MeshEventListener.NONE) { // no event is built for nobody
      listener.onAttemptEnd(new AttemptEvent(cluster.service(), endpoint.endpoint(), attempt, status, failure, took));
    }
  }

  private void failed(IOException failure) {
    if (failures == null) {
      failures = new ArrayList<>(2);
    }
    failures.add(failure);
  }

  private @Nullable IOException lastFailure() {
    return failures == null || failures.isEmpty() ? null : failures.get(failures.size() - 1);
  }

  private RetriesExhaustedException exhausted(int attempts, IOException last) {
    RetriesExhaustedException e = new RetriesExhaustedException(cluster.service(), attempts, last);
    if (failures != null) {
      failures.forEach(e::addSuppressed);
    }
    return e;
  }

  private DeadlineExceededException deadlineExceeded(long timeoutNanos, int attempts, @Nullable IOException cause) {
    DeadlineExceededException e =
        new DeadlineExceededException(cluster.service(), Duration.ofNanos(timeoutNanos), attempts, cause);
    if (failures != null) {
      failures.stream().filter(f -> f != cause).forEach(e::addSuppressed);
    }
    return e;
  }

  private static long backoff(RetryPolicy retry, int retryNumber) {
    return Backoff.delayNanos(retry, retryNumber, ThreadLocalRandom.current().nextDouble());
  }

  private static void pause(long nanos) throws InterruptedIOException {
    if (nanos <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted during retry backoff");
    }
  }

  /** The smaller of two timeouts where 0 means none. */
  static long effectiveTimeout(long a, long b) {
    return a <= 0 ? Math.max(b, 0) : b <= 0 ? a : Math.min(a, b);
  }

  private static long minPositive(long perTry, long remaining) {
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

  private static boolean isOneShot(@Nullable RequestBody body) {
    return body != null && body.isOneShot();
  }

  /** Whether the attempt failed before a connection existed, so nothing was sent. */
  static boolean isConnectFailure(IOException e) {
    if (e instanceof ConnectException || e instanceof NoRouteToHostException || e instanceof UnknownHostException) {
      return true;
    }
    String message = e.getMessage();
    return e instanceof SocketTimeoutException && message != null && message.toLowerCase(Locale.ROOT).startsWith("connect timed out");
  }
}
