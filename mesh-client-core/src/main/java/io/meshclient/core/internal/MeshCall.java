package io.meshclient.core.internal;

import io.meshclient.api.AttemptEvent;
import io.meshclient.api.CircuitOpenException;
import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.EndpointStats;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.PickContext;
import io.meshclient.api.PickResult;
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
import java.util.Arrays;
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
 * <p>One instance per call, used by one thread. It is also the {@link PickContext} the balancer
 * sees, so a pick allocates nothing beyond its result.
 */
final class MeshCall implements PickContext {
  private final Cluster cluster;
  private final Interceptor.Chain chain;
  private final Request request;
  private final MeshInterceptor mesh;

  private List<EndpointState> endpoints = List.of();
  private EndpointState[] tried = new EndpointState[4];
  private int triedCount;
  private boolean mayRepeat;
  private EndpointState @Nullable [] refused;
  private int refusedCount;
  private @Nullable List<IOException> failures;
  private long deadline = Long.MAX_VALUE;

  MeshCall(Cluster cluster, Interceptor.Chain chain, MeshInterceptor mesh) {
    this.cluster = cluster;
    this.chain = chain;
    this.request = chain.request();
    this.mesh = mesh;
  }

  Response execute() throws IOException {
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
      EndpointState endpoint = pickOrExplain(attempt);
      long attemptTimeout = deadline == Long.MAX_VALUE ? perTry : minPositive(perTry, deadline - now);

      Response response = null;
      IOException failure = null;
      endpoint.onSend();
      long sent = mesh.ticker().read();
      try {
        Call call = mesh.transport().newCall(rewrite(request, endpoint));
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

      if (response != null) {
        endpoint.onResponse(response.code(), took);
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
        pause(backoff);
        continue;
      }

      // The caller gave up (cancel, or its own call timeout): the attempt is heard but not held
      // against the endpoint.
      if (canceled) {
        endpoint.abandon();
      } else {
        endpoint.onFailure(failure, took);
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
        throw exhausted(attempt + 1, failure);
      }
      long backoff = backoff(retry, attempt + 1);
      if (ended + backoff >= deadline) {
        throw deadlineExceeded(timeoutNanos, attempt + 1, failure);
      }
      failed(failure);
      pause(backoff);
    }
  }

  /** {@link #pick}, with the failures of earlier attempts attached to a failed pick. */
  private EndpointState pickOrExplain(int attempt) throws NoEndpointAvailableException {
    try {
      return pick(attempt);
    } catch (NoEndpointAvailableException e) {
      if (failures != null) {
        failures.forEach(e::addSuppressed);
      }
      throw e;
    }
  }

  /** Picks the endpoint for attempt {@code attempt}, asking each candidate's breaker in turn. */
  private EndpointState pick(int attempt) throws NoEndpointAvailableException {
    // Waits for discovery's first answer if there is none yet, within the call's deadline.
    endpoints = cluster.awaitEndpoints(deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - mesh.ticker().read());
    mayRepeat = false;
    for (int round = 0; round <= endpoints.size() + 1; round++) {
      PickResult result = cluster.loadBalancer().pick(this);
      EndpointStats picked = result.endpoint();
      if (picked == null) {
        if (!mayRepeat && triedCount > 0) {
          mayRepeat = true; // every untried endpoint is out: one already tried may be used again
          continue;
        }
        if (refusedCount > 0) {
          throw new CircuitOpenException(cluster.service(), refusedCount);
        }
        throw new NoEndpointAvailableException(cluster.service(), result.reason());
      }
      EndpointState endpoint = own(picked);
      if (endpoint.tryAcquire()) {
        remember(endpoint);
        return endpoint;
      }
      refuse(endpoint);
    }
    throw new NoEndpointAvailableException(cluster.service(),
        "the load balancer kept picking endpoints it was told to avoid (attempt " + (attempt + 1) + ")");
  }

  private EndpointState own(EndpointStats picked) {
    if (picked instanceof EndpointState && !isExcluded(picked)) {
      return (EndpointState) picked;
    }
    throw new IllegalStateException("load balancer '" + cluster.policy().loadBalancer()
        + "' of service '" + cluster.service() + "' picked " + picked
        + ", which is excluded or not one of the candidates it was given");
  }

  @Override
  public String service() {
    return cluster.service();
  }

  @Override
  public List<? extends EndpointStats> endpoints() {
    return endpoints;
  }

  @Override
  public boolean isExcluded(EndpointStats candidate) {
    for (int i = 0; i < refusedCount; i++) {
      if (refused[i] == candidate) {
        return true;
      }
    }
    if (!mayRepeat) {
      for (int i = 0; i < triedCount; i++) {
        if (tried[i] == candidate) {
          return true;
        }
      }
    }
    return false;
  }

  private void remember(EndpointState endpoint) {
    for (int i = 0; i < triedCount; i++) {
      if (tried[i] == endpoint) {
        return;
      }
    }
    if (triedCount == tried.length) {
      tried = Arrays.copyOf(tried, triedCount * 2);
    }
    tried[triedCount++] = endpoint;
  }

  private void refuse(EndpointState endpoint) {
    if (refused == null) {
      refused = new EndpointState[4];
    } else if (refusedCount == refused.length) {
      refused = Arrays.copyOf(refused, refusedCount * 2);
    }
    refused[refusedCount++] = endpoint;
  }

  /** The request with the endpoint's scheme, host and port; path, query and credentials kept. */
  private static Request rewrite(Request request, EndpointState endpoint) {
    HttpUrl logical = request.url();
    HttpUrl.Builder url = endpoint.baseUrl().newBuilder().encodedPath(logical.encodedPath());
    String query = logical.encodedQuery();
    if (query != null) {
      url.encodedQuery(query);
    }
    if (!logical.encodedUsername().isEmpty()) {
      url.encodedUsername(logical.encodedUsername()).encodedPassword(logical.encodedPassword());
    }
    return request.newBuilder().url(url.build()).build();
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
