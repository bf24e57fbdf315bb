package io.meshclient.core;

import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.HealthChecker;
import io.meshclient.core.internal.MeshSecurity;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background work that keeps a mesh's endpoint health current: each service's outlier
 * detection intervals and active health checks, as its policy says, on one daemon thread
 * ({@code mesh-client-health}) made only when some service has either.
 *
 * <p>{@link MeshClient} starts it when it is built, restarts a service's part after a reload changed
 * its policy (through {@link ConfigReload}) and stops it on close. Thread-safe: every method
 * holds the instance's lock, and once stopped it starts nothing again.
 */
final class HealthSchedule {
  private static final Logger log = LoggerFactory.getLogger(MeshClient.class);

  private final OkHttpClient transport;
  private final MeshSecurity security;
  private final Map<String, HealthChecker> healthCheckers = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> outlierTasks = new HashMap<>();
  private @Nullable ScheduledExecutorService scheduler;
  private boolean stopped;

  /**
   * @param transport the client health checks are sent on, unless the service has TLS settings
   * @param security gives each service's own client when it has TLS settings
   */
  HealthSchedule(OkHttpClient transport, MeshSecurity security) {
    this.transport = transport;
    this.security = security;
  }

  /** Starts outlier detection intervals and active health checks, for every service that has them. */
  synchronized void start(Collection<Cluster> clusters) {
    for (Cluster cluster : clusters) {
      start(cluster);
    }
  }

  /** Starts the service's outlier detection intervals and active health checks, as its policy says. */
  private void start(Cluster cluster) {
    boolean outliers = cluster.policy().outlierDetection().enabled();
    boolean checks = cluster.policy().healthCheck().enabled();
    if (!outliers && !checks) {
      return;
    }
    if (scheduler == null) {
      scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mesh-client-health");
        thread.setDaemon(true);
        return thread;
      });
    }
    if (outliers) {
      long interval = cluster.policy().outlierDetection().interval().toNanos();
      outlierTasks.put(cluster.service(), scheduler.scheduleAtFixedRate(() -> {
        try {
          cluster.runOutlierInterval();
        } catch (RuntimeException e) {
          log.warn("outlier detection of service '{}' failed; it runs again next interval", cluster.service(), e);
        }
      }, interval, interval, TimeUnit.NANOSECONDS));
    }
    if (checks) {
      // The service's own client when it has TLS settings, so checks see what calls see.
      HealthChecker checker = new HealthChecker(cluster, () -> security.transport(cluster.service(), transport), scheduler);
      healthCheckers.put(cluster.service(), checker);
      checker.start();
    }
  }

  /**
   * Restarts the service's outlier detection intervals and health checks after its policy changed
   * (a reload); verdicts of checks that no longer run are dropped, so no endpoint stays out for them.
   * Does nothing once stopped.
   */
  synchronized void restart(Cluster cluster) {
    if (stopped) {
      return;
    }
    ScheduledFuture<?> task = outlierTasks.remove(cluster.service());
    if (task != null) {
      task.cancel(false);
    }
    HealthChecker checker = healthCheckers.remove(cluster.service());
    if (checker != null) {
      checker.stop();
    }
    if (!cluster.policy().healthCheck().enabled()) {
      for (EndpointState endpoint : cluster.endpoints()) {
        cluster.onHealthCheck(endpoint, true);
      }
    }
    start(cluster);
  }

  /** Stops every health check and the health thread. */
  synchronized void stop() {
    stopped = true;
    healthCheckers.values().forEach(HealthChecker::stop);
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
