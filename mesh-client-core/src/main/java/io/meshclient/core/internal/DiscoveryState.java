package io.meshclient.core.internal;

import io.meshclient.api.NoEndpointAvailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a cluster knows about its discovery source: whether it has answered yet, when it last
 * pushed a set, and whether it is failing right now (since when, with what error). Owned by one
 * {@link Cluster}.
 *
 * <p>Calls that find no endpoint before the source's first answer wait here for it, at most
 * {@code initialTimeout} after the cluster was made (and never past their own deadline); once that
 * window has passed they fail at once. A failing source is logged once per outage: WARN when it
 * starts, INFO when the source answers again.
 *
 * <p>Thread-safe: state changes are synchronised; readers see volatile fields.
 */
public final class DiscoveryState {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  private final String service;
  private final String source;
  private final Clock clock;
  private final Ticker ticker;
  private final long initialTimeoutNanos;
  private final long windowStart;
  private final CountDownLatch answered = new CountDownLatch(1);
  private final List<Runnable> waiters = new ArrayList<>();
  private volatile @Nullable Instant lastUpdate;
  private volatile @Nullable Instant failingSince;
  private volatile @Nullable Throwable error;

  /**
   * @param source how the source is shown in errors, logs and snapshots, e.g. its URI
   * @param initialTimeout how long after now calls wait for the source's first answer
   */
  public DiscoveryState(String service, String source, Duration initialTimeout, Clock clock) {
    this.service = service;
    this.source = source;
    this.clock = clock;
    this.ticker = Ticker.of(clock);
    this.initialTimeoutNanos = initialTimeout.toNanos();
    this.windowStart = ticker.read();
  }

  /** The source as shown in errors, logs and snapshots. */
  public String source() {
    return source;
  }

  /** When the source last pushed a set, or {@code null} if it has not answered yet. */
  public @Nullable Instant lastUpdate() {
    return lastUpdate;
  }

  /** When the current outage of the source began, or {@code null} if it is not failing. */
  public @Nullable Instant failingSince() {
    return failingSince;
  }

  /** The error of the current outage, or {@code null} if the source is not failing. */
  public @Nullable Throwable error() {
    return error;
  }

  /** How long the source has been failing: zero while it is healthy. */
  public Duration staleFor() {
    Instant since = failingSince;
    if (since == null) {
      return Duration.ZERO;
    }
    Duration stale = Duration.between(since, clock.instant());
    return stale.isNegative() ? Duration.ZERO : stale;
  }

  /** The source pushed a set; ends an outage if there was one. */
  synchronized void onUpdate(int endpoints) {
    Instant now = clock.instant();
    Instant since = failingSince;
    if (since != null) {
      log.info("discovery source '{}' of service '{}' recovered after {} ms; {} endpoint(s)",
          source, service, Duration.between(since, now).toMillis(), endpoints);
      failingSince = null;
      error = null;
    }
    lastUpdate = now;
    answered.countDown();
    if (!waiters.isEmpty()) {
      List<Runnable> ready = List.copyOf(waiters);
      waiters.clear();
      ready.forEach(Runnable::run); // each is a quick hand-off: an asynchronous call's first attempt
    }
  }

  /** The source failed; the first failure of an outage is logged, the ones after it are not. */
  synchronized void onError(Throwable failure, int kept) {
    error = failure;
    if (failingSince != null) {
      log.debug("discovery source '{}' of service '{}' still failing: {}", source, service, failure.toString());
      return;
    }
    failingSince = clock.instant();
    if (lastUpdate == null) {
      log.warn("discovery source '{}' of service '{}' failed before its first answer", source, service, failure);
    } else {
      log.warn("discovery source '{}' of service '{}' failed; keeping the last {} known endpoint(s) until it recovers",
          source, service, kept, failure);
    }
  }

  /**
   * Waits for the source's first answer, at most {@code maxWaitNanos} and never past the end of
   * the initial window. Returns at once if the source has answered or the window has passed.
   */
  void awaitFirstAnswer(long maxWaitNanos) throws NoEndpointAvailableException {
    long wait = Math.min(maxWaitNanos, initialTimeoutNanos - (ticker.read() - windowStart));
    if (wait <= 0 || answered.getCount() == 0) {
      return;
    }
    try {
      answered.await(wait, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NoEndpointAvailableException(service,
          "interrupted while waiting for the first answer of discovery source '" + source + "'");
    }
  }

  /**
   * For a call that must not block: runs {@code then} when the source first answers, and returns
   * the nanoseconds the call may wait for that (0 when it may not wait: the source has answered,
   * or the initial window is over; then {@code then} is not kept).
   */
  synchronized long whenAnswered(Runnable then) {
    long wait = initialTimeoutNanos - (ticker.read() - windowStart);
    if (wait <= 0 || answered.getCount() == 0) {
      return 0;
    }
    waiters.add(then);
    return wait;
  }

  /** Forgets a waiter whose call has moved on (its wait timed out). */
  synchronized void forget(Runnable waiter) {
    waiters.remove(waiter);
  }

  /** Why a cluster that found no endpoint has none, naming the source. */
  NoEndpointAvailableException noEndpoints() {
    NoEndpointAvailableException e;
    if (lastUpdate != null) {
      e = new NoEndpointAvailableException(service, "discovery source '" + source + "' reports no endpoints");
    } else {
      boolean windowOver = ticker.read() - windowStart >= initialTimeoutNanos;
      String bound = windowOver
          ? "within " + Duration.ofNanos(initialTimeoutNanos).toMillis() + " ms of the mesh starting"
          : "before the call's deadline";
      e = new NoEndpointAvailableException(service, "discovery source '" + source + "' has not answered " + bound
          + (error == null ? "" : "; last error: " + error));
    }
    Throwable cause = error;
    if (cause != null) {
      e.addSuppressed(cause);
    }
    return e;
  }
}
