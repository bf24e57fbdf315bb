package io.meshclient.core.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.EventListener;
import org.jspecify.annotations.Nullable;

/**
 * An attempt's timeout, kept on the mesh's timer: a task that cancels the attempt's transport call
 * when its time is up, withdrawn when the call ends (its response body closed or read to the end,
 * or its failure), which OkHttp reports to this listener of the call.
 *
 * <p>Why not OkHttp's own call timeout: it is an Okio {@code AsyncTimeout}, and keeping one in
 * Okio's timeout queue for the length of each call added about 40 us to the median call at 1,000
 * calls/s, where a task on a scheduled executor adds about 1 us ({@code DeadlineCostScenario} in
 * the peer benchmarks). The bound is the same: from the attempt being sent until its body is done.
 *
 * <p>A call cancelled by its deadline fails with whatever the transport saw (often "Canceled");
 * {@link #explain} turns that into the {@code InterruptedIOException("timeout")} OkHttp's timeout
 * gives, so the retry rules, the metrics and the caller read a timeout as before.
 *
 * <p>Thread-safe: armed on the caller's thread, fired on the timer's, withdrawn on the transport's.
 */
final class AttemptDeadline extends EventListener implements Runnable {
  private final Call call;
  private volatile @Nullable ScheduledFuture<?> task;
  private volatile boolean ended;
  private volatile boolean expired;

  private AttemptDeadline(Call call) {
    this.call = call;
  }

  /**
   * Bounds {@code call} (not yet started) by {@code nanos} from now. When the timer is shut down
   * (the mesh is closing), the bound falls back to OkHttp's own call timeout.
   */
  static AttemptDeadline arm(ScheduledExecutorService timer, Call call, long nanos) {
    AttemptDeadline deadline = new AttemptDeadline(call);
    ScheduledFuture<?> task;
    try {
      task = timer.schedule(deadline, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      call.timeout().timeout(nanos, TimeUnit.NANOSECONDS);
      return deadline;
    }
    deadline.task = task; // before the listener: the call cannot end until it has started, after this
    call.addEventListener(deadline);
    return deadline;
  }

  /** The time is up: the call is cancelled, wherever it is. On the timer. */
  @Override
  public void run() {
    if (!ended) {
      expired = true;
      call.cancel();
    }
  }

  /** Whether the deadline cancelled the call. */
  boolean expired() {
    return expired;
  }

  /** {@code failure} as the attempt's outcome: a timeout if the deadline cut the call short. */
  IOException explain(IOException failure) {
    if (!expired || CallRules.isTimeout(failure)) {
      return failure;
    }
    InterruptedIOException timeout = new InterruptedIOException("timeout");
    timeout.initCause(failure);
    return timeout;
  }

  /** The call is over: the task is withdrawn, so the timer keeps nothing for it. */
  void withdraw() {
    ended = true;
    ScheduledFuture<?> pending = task;
    if (pending != null) {
      pending.cancel(false);
    }
  }

  @Override
  public void callEnd(Call call) {
    withdraw();
  }

  @Override
  public void callFailed(Call call, IOException ioe) {
    withdraw();
  }
}
