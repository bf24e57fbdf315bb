package io.meshclient.core.internal;

import io.meshclient.api.MeshEventListener;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outlier ejections of one cluster: ejecting an endpoint when its failure streak completes or
 * when an interval detector (success rate, failure percentage) singles it out, within the
 * maximum ejected share, and readmitting it when its time is up (breaker reset, slow start ramp).
 * Each ejection and readmission is logged and passed to the event listener; the cluster's pool is
 * rebuilt after a change. The {@link OutlierDetector} in force decides; this applies its verdicts.
 *
 * <p>Called by its {@link Cluster} only: {@link #checkStreak} after each recorded failure,
 * {@link #runInterval} every outlier detection interval, {@link #readmit} when a pick finds an
 * ejection over. Thread-safe: every change to ejection state is made under the cluster's lock
 * (the cluster's monitor, which these methods take or which their caller holds, as each says).
 */
final class Ejections {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final Cluster cluster;
  private final String service;
  private final MeshEventListener listener;
  private final Ticker ticker;

  Ejections(Cluster cluster, String service, MeshEventListener listener, Ticker ticker) {
    this.cluster = cluster;
    this.service = service;
    this.listener = listener;
    this.ticker = ticker;
  }

  /**
   * Ejects {@code endpoint} if its latest outcome completes a failure streak. Takes the cluster's
   * lock only then (rare), so the request path locks nothing otherwise.
   */
  void checkStreak(EndpointState endpoint) {
    String reason = cluster.outliers().streak(endpoint);
    if (reason != null) {
      synchronized (cluster) {
        if (eject(endpoint, reason, ticker.read())) {
          cluster.rebuild();
        }
      }
    }
  }

  /**
   * Readmits endpoints whose time is up, then runs the interval detectors over the interval just
   * past. Holds the cluster's lock (the caller's).
   */
  void runInterval() {
    long now = ticker.read();
    readmit(now);
    List<EndpointState> all = cluster.endpoints();
    boolean changed = false;
    for (OutlierDetector.Verdict v : cluster.outliers().interval(all, now)) {
      changed |= eject(v.endpoint(), v.reason(), now);
    }
    for (EndpointState e : all) {
      if (!e.ejectedAt(now) && e.timesEjected > 0) {
        e.timesEjected--; // a healthy interval earns back one step of the ejection multiplier
      }
    }
    if (changed) {
      cluster.rebuild();
    }
  }

  /**
   * Ejects {@code endpoint} unless it is already out, no longer in the pool, or the maximum ejected
   * share is reached; true when it was ejected (the caller rebuilds the pool). Holds the cluster's
   * lock (the caller's).
   */
  private boolean eject(EndpointState endpoint, String reason, long now) {
    List<EndpointState> all = cluster.endpoints();
    if (endpoint.ejectedAt(now) || !all.contains(endpoint)) {
      return false;
    }
    int ejected = 0;
    for (EndpointState e : all) {
      if (e.ejectedAt(now)) {
        ejected++;
      }
    }
    OutlierDetector outliers = cluster.outliers();
    if (!outliers.mayEject(ejected, all.size())) {
      log.debug("service '{}': {} is an outlier ({}) but {} of {} endpoint(s) are already ejected",
          service, endpoint.endpoint().address(), reason, ejected, all.size());
      return false;
    }
    endpoint.timesEjected++;
    long nanos = outliers.ejectionNanos(endpoint.timesEjected);
    endpoint.ejectedUntil = now + nanos;
    endpoint.resetStreaks();
    Duration duration = Duration.ofNanos(nanos);
    log.info("service '{}': ejected endpoint {} for {} ({})", service, endpoint.endpoint().address(), duration, reason);
    listener.onEjection(service, endpoint.endpoint(), reason, duration);
    return true;
  }

  /**
   * Readmits the endpoints whose ejection is over at {@code now} (breaker reset, slow start) and
   * rebuilds the pool if any came back. Takes the cluster's lock.
   */
  void readmit(long now) {
    synchronized (cluster) {
      boolean changed = false;
      for (EndpointState e : cluster.endpoints()) {
        long until = e.ejectedUntil;
        if (until != EndpointState.NONE && now - until >= 0) {
          e.ejectedUntil = EndpointState.NONE;
          e.resetBreaker();
          e.rampUp(now);
          changed = true;
          log.info("service '{}': endpoint {} is back from ejection", service, e.endpoint().address());
          listener.onReadmission(service, e.endpoint());
        }
      }
      if (changed) {
        cluster.rebuild();
      }
    }
  }
}
