package io.meshclient.core.internal;

import io.meshclient.api.HealthCheckPolicy;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of one cluster: every interval (plus jitter) a {@code GET} of the policy's
 * path to each endpoint, sent asynchronously on the transport client so the scheduler thread
 * never waits on the network. Streaks of passing or failing checks past the thresholds flip the
 * endpoint's health in the cluster.
 */
public final class HealthChecker {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private final Cluster cluster;
  private final HealthCheckPolicy policy;
  private final Supplier<OkHttpClient> transport;
  private final ScheduledExecutorService scheduler;
  private final Map<EndpointState, Streak> streaks = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  /**
   * @param transport the client checks are sent on, asked each time (TLS material may rotate)
   */
  public HealthChecker(Cluster cluster, Supplier<OkHttpClient> transport, ScheduledExecutorService scheduler) {
    this.cluster = cluster;
    this.policy = cluster.policy().healthCheck();
    this.transport = transport;
    this.scheduler = scheduler;
  }

  /** Schedules the first round after one interval. */
  public void start() {
    scheduleNext();
  }

  /** Stops scheduling rounds; checks in flight finish and are ignored. */
  public void stop() {
    stopped = true;
  }

  private void scheduleNext() {
    if (stopped) {
      return;
    }
    long jitter = policy.jitter().toNanos();
    long delay = policy.interval().toNanos() + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0);
    try {
      scheduler.schedule(this::round, delay, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      stopped = true; // the mesh is closing
    }
  }

  /** Checks every current endpoint once, then schedules the next round. */
  void round() {
    try {
      streaks.keySet().retainAll(cluster.endpoints());
      for (EndpointState endpoint : cluster.endpoints()) {
        check(endpoint);
      }
    } finally {
      scheduleNext();
    }
  }

  private void check(EndpointState endpoint) {
    HttpUrl url = endpoint.baseUrl().newBuilder().encodedPath(policy.path()).build();
    Call call = transport.get().newCall(
        new Request.Builder().url(url).header("User-Agent", "mesh-client-health-check").build());
    call.timeout().timeout(policy.timeout().toNanos(), TimeUnit.NANOSECONDS);
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        int code = response.code();
        response.close();
        record(endpoint, code >= 200 && code < 400, "HTTP " + code);
      }

      @Override
      public void onFailure(Call call, IOException e) {
        record(endpoint, false, e.toString());
      }
    });
  }

  /** Counts one check's result and flips the endpoint's health when a streak reaches its threshold. */
  void record(EndpointState endpoint, boolean passed, @Nullable String detail) {
    if (stopped) {
      return;
    }
    Streak streak = streaks.computeIfAbsent(endpoint, e -> new Streak());
    Boolean verdict;
    synchronized (streak) {
      verdict = streak.add(passed, policy.healthyThreshold(), policy.unhealthyThreshold());
    }
    if (!passed) {
      log.debug("service '{}': health check of {} failed: {}", cluster.service(), endpoint.endpoint().address(), detail);
    }
    if (verdict != null) {
      cluster.onHealthCheck(endpoint, verdict);
    }
  }

  /** Checks in a row with the same result; guarded by itself. */
  private static final class Streak {
    private boolean passing = true;
    private int count;

    /** The new verdict when this check completes a streak that changes it, else {@code null}. */
    @Nullable Boolean add(boolean passed, int healthyThreshold, int unhealthyThreshold) {
      if (passed != passing) {
        passing = passed;
        count = 0;
      }
      count++;
      int threshold = passed ? healthyThreshold : unhealthyThreshold;
      return count == threshold ? passed : null;
    }
  }
}
