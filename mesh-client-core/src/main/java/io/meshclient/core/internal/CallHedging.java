package io.meshclient.core.internal;

import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.ServicePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The hedging of one {@link MeshCall}: whether it may send another hedge, how long to wait for an
 * answer before it does (a fixed delay, or the service's live latency percentile), and the timer
 * that sends it, which {@link #cancel} (or arming it again) disarms.
 *
 * <p>Not thread-safe on its own: every method is called with the call's lock held, and the timer
 * runs {@link MeshCall#hedgeNow}, which takes that lock before it asks {@link #due}.
 */
final class CallHedging {
  private final MeshCall call;
  private final HedgingPolicy hedging;
  private final int maxAttempts;
  private final boolean mayResend;
  private final Ticker ticker;
  private int hedges;
  private @Nullable ScheduledFuture<?> timer;
  /** Counts the hedge timers armed: a timer that fires after another replaced it does nothing. */
  private long arms;

  CallHedging(MeshCall call, ServicePolicy policy, boolean mayResend, Ticker ticker) {
    this.call = call;
    this.ticker = ticker;
    this.hedging = policy.hedging();
    this.maxAttempts = policy.retry().maxAttempts();
    this.mayResend = mayResend;
  }

  /**
   * Arms the hedge timer, if the call may be hedged and has a hedge left; the timer armed before,
   * if any, is cancelled. Holds the lock.
   *
   * @param attempts the attempts the call has sent
   * @param target the cluster whose latencies set a percentile-based delay
   */
  void schedule(int attempts, Cluster target) {
    cancel();
    if (!mayHedge(attempts)) {
      return;
    }
    long delay;
    if (hedging.delayPercentile() > 0) {
      delay = target.latencies().percentileNanos(hedging.delayPercentile());
      if (delay < 0) {
        return; // no history yet: no hedging until the service has one
      }
      delay = Math.max(delay, hedging.minDelay().toNanos());
    } else {
      delay = hedging.delay().toNanos();
    }
    if (call.tooLittleTime(ticker.read() + delay)) {
      return; // the hedge would have less than the minimum left by the time it went
    }
    long arm = ++arms;
    timer = call.timer(() -> call.hedgeNow(arm), delay);
  }

  /** Whether the policy lets the call send one more hedge now: hedges and attempts left. Holds the lock. */
  boolean mayHedge(int attempts) {
    return hedging.enabled() && mayResend && hedges < hedging.maxHedges() && attempts < maxAttempts;
  }

  /** Disarms the hedge timer: one already falling due does nothing. Holds the lock. */
  void cancel() {
    arms++;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /**
   * For the timer armed as {@code arm}, now fired: whether it is still the one armed (not cancelled
   * or replaced after it fell due), and then forgets it. Holds the lock.
   */
  boolean due(long arm) {
    if (arm != arms) {
      return false;
    }
    timer = null;
    return true;
  }

  /** Counts a hedge sent. Holds the lock. */
  void sent() {
    hedges++;
  }

  /** Whether the latencies of the service's attempts are tracked for a percentile-based delay. */
  boolean tracksLatency() {
    return hedging.delayPercentile() > 0;
  }

  /** The endpoints the call's attempts in flight went to: a hedge goes elsewhere. */
  static List<EndpointState> busyEndpoints(List<Attempt> inFlight) {
    List<EndpointState> busy = new ArrayList<>(inFlight.size());
    for (Attempt a : inFlight) {
      busy.add(a.endpoint);
    }
    return busy;
  }
}
