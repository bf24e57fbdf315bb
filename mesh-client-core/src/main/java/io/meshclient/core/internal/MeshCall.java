package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshException;
import io.meshclient.api.ServicePolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One logical call to a service: its route, admission, the deadline, injected faults, and the
 * attempts, until one answers well, a failure is not worth another try, or the attempts, the budget
 * or the time run out.
 *
 * <p>The route is chosen once, when the call is made: it decides the policy (the service's, with the
 * route's overrides), the request edits and the destination every attempt picks from ({@link
 * CallDestination}). A route's fault delays or aborts the call before any attempt ({@link
 * FaultInjection}); a route's mirror copies the request once the first attempt is out.
 *
 * <p>Each attempt picks an endpoint, goes out on the transport with its timeout ({@link
 * CallDeadline}) and reports its outcome to the endpoint ({@link Attempt}). A retry waits its
 * backoff ({@link RetryDecision}) on the mesh's timer, never on a caller's or dispatcher's thread; a
 * hedge is sent by the timer when no answer has come after the hedge delay ({@link CallHedging}).
 * The first good answer wins: the attempts still out are cancelled and their bodies closed.
 *
 * <p>{@link #execute} sends the first attempt on the calling thread (no thread hop on the common
 * path) and waits for the outcome; {@link #enqueue} sends every attempt asynchronously and holds no
 * thread while it waits. {@link #cancel} ends the call and cancels the attempts in flight.
 *
 * <p>Thread-safe: attempts finish on transport threads and timers fire on the mesh's timer thread;
 * the call's state is guarded by its own lock. Lock order: a call's lock may be held while taking a
 * cluster's, never the reverse (discovery's first answer reaches a waiting call through the timer).
 */
final class MeshCall {
  /** The service called: its admission, budget and observation. */
  private final Cluster cluster;
  private final ServicePolicy policy;
  private final MeshInterceptor mesh;
  private final RouteTable.@Nullable Entry route;
  /** The request as the route edits it. */
  private final Request request;
  private final Ticker ticker;
  private final @Nullable FaultInjection fault;
  private final RetryDecision retries;

  // Guarded by this, as are the collaborators' states.
  private final CallHedging hedging;
  private final AttemptFailures failures;
  private final CallOutcome outcome;
  private final CallDestination destination;
  private CallObserver.Call observation = CallObserver.Call.NONE;
  private final List<Attempt> inFlight = new ArrayList<>(2);
  private int attempts;
  private long start;
  /** On the ticker; {@link CallDeadline#NONE} for none. */
  private long deadline = CallDeadline.NONE;
  private boolean admitted;
  /** The timer of the call's backoff, injected delay or wait for discovery: one at a time. */
  private @Nullable ScheduledFuture<?> backoffTimer;
  private @Nullable Endpoint lastEndpoint;
  private boolean canceled;

  MeshCall(Cluster cluster, MeshInterceptor mesh, Request request) {
    this.cluster = cluster;
    this.mesh = mesh;
    // The route table is read once: a call keeps the route, policy and destination it started with.
    RouteTable.Entry chosen = mesh.routes(cluster).select(request);
    this.route = chosen;
    this.policy = chosen != null ? chosen.policy : cluster.policy();
    this.request = chosen != null ? chosen.apply(request) : request;
    this.destination = new CallDestination(chosen, this.request, cluster, mesh);
    this.ticker = mesh.ticker();
    this.retries = new RetryDecision(this, policy.retry(), request, cluster);
    this.fault = FaultInjection.of(chosen, this.request, cluster);
    this.hedging = new CallHedging(this, policy, retries.mayResend(), ticker);
    this.failures = new AttemptFailures(cluster.service());
    this.outcome = new CallOutcome(this, mesh, cluster.service());
  }

  /**
   * Runs the call on this thread: the first attempt here, later ones on the transport's threads,
   * and returns the answer or throws the call's failure.
   *
   * @param callerTimeoutNanos the caller's own call timeout, 0 for none
   */
  Response execute(long callerTimeoutNanos) throws IOException {
    boolean begun;
    Cluster to;
    synchronized (this) {
      // A fault aborts the call, or delays it on the timer: then the outcome is simply awaited.
      begun = begin(callerTimeoutNanos) && !injectFault(false);
      to = destination.cluster();
    }
    if (begun && !to.discovered()) {
      DiscoveryWait.block(to.discovery(), deadline, ticker);
    }
    Attempt first = null;
    synchronized (this) {
      if (begun && !outcome.done()) {
        first = firstAttempt();
      }
    }
    if (first != null) {
      mirror(); // before this thread waits on the first attempt; the copy goes out asynchronously
      Response response = null;
      IOException failure = null;
      try {
        response = first.call.execute();
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException | Error e) {
        crashed(first, e);
        throw e;
      }
      finish(first, response, failure);
    }
    return outcome.await(deadline, ticker);
  }

  /**
   * Starts the call without blocking: {@code callback} hears its outcome, with {@code owner} as the
   * call, on a transport thread (the attempts' executor), never on the mesh's timer thread.
   */
  void enqueue(long callerTimeoutNanos, Call owner, Callback callback) {
    Attempt first = null;
    synchronized (this) {
      outcome.listen(owner, callback);
      if (begin(callerTimeoutNanos) && !injectFault(false)) {
        if (waitsForDiscovery()) {
          return;
        }
        first = firstAttempt();
      }
    }
    sendFirst(first);
    outcome.deliver();
  }

  /** Ends the call now with "Canceled" and cancels its attempts in flight. Idempotent. */
  void cancel() {
    synchronized (this) {
      if (outcome.done()) {
        return;
      }
      canceled = true;
      complete(null, new IOException("Canceled"));
    }
    outcome.deliver();
  }

  /** Admission, the deadline and the budget's deposit; false when the call ended already (refused). */
  private boolean begin(long callerTimeoutNanos) {
    start = ticker.read();
    observation = mesh.observer().start(cluster, request, route != null ? route.name : null);
    Admission admission = cluster.admission();
    if (admission.enabled()) {
      MeshException refusal = admission.admit();
      if (refusal != null) {
        observation.rejected(Admission.refusedBy(refusal));
        complete(null, refusal);
        return false;
      }
      admitted = true;
    }
    deadline = CallDeadline.of(start, policy.timeouts().timeout().toNanos(), callerTimeoutNanos);
    cluster.budget().deposit();
    return true;
  }

  /**
   * Draws the route's fault for this call, if it has one and the request qualifies: a delay (unless
   * {@code delayed}, when it is over) schedules {@link #resumeAfterFault} on the timer; an abort ends
   * the call with the injected status or connection error, not retried. Holds the lock.
   *
   * @return whether the first attempt must not go now (the call is delayed or over)
   */
  private boolean injectFault(boolean delayed) {
    if (fault == null) {
      return false;
    }
    long wait = delayed ? -1 : fault.drawDelay(observation, deadline, ticker);
    if (wait >= 0) {
      backoffTimer = timer(this::resumeAfterFault, wait);
      if (backoffTimer == null) {
        complete(null, new IOException("the MeshClient is closed; service '" + cluster.service()
            + "' can no longer be called"));
      }
      return true;
    }
    FaultInjection.Abort abort = fault.drawAbort(observation);
    if (abort != null) {
      complete(abort.response(), abort.failure());
      return true;
    }
    return false;
  }

  /** The injected delay is over: the abort may follow, else the first attempt goes (after discovery). */
  private void resumeAfterFault() {
    Attempt first = null;
    synchronized (this) {
      backoffTimer = null;
      if (outcome.done() || injectFault(true)) {
        // cancelled or timed out meanwhile, or aborted now
      } else if (waitsForDiscovery()) {
        return;
      } else {
        first = firstAttempt();
      }
    }
    sendFirst(first);
    outcome.deliverOffTimer();
  }

  /** Sends the call's first attempt, then the route's mirrored copy, if any. */
  private void sendFirst(@Nullable Attempt first) {
    send(first);
    if (first != null) {
      mirror();
    }
  }

  /** Copies the request to the route's mirror, fire-and-forget; never throws, never waits. */
  private void mirror() {
    Mirror mirror = route != null ? route.mirror : null;
    if (mirror != null) {
      mirror.copy(request, mesh, observation, cluster.random());
    }
  }

  /**
   * Before the first attempt, if discovery has not answered yet: waits for it without a thread
   * ({@link DiscoveryWait}); false when it has answered or the call may not wait. Holds the lock.
   */
  private boolean waitsForDiscovery() {
    if (destination.cluster().discovered()) {
      return false;
    }
    backoffTimer = DiscoveryWait.park(this, destination.cluster().discovery(), deadline, ticker);
    return backoffTimer != null;
  }

  /** Discovery answered, or the wait for it ran out: the first attempt goes, or the call ends. On the timer. */
  void resumeAfterDiscovery() {
    Attempt first = null;
    synchronized (this) {
      if (!outcome.done() && attempts == 0) {
        cancelTimer();
        first = firstAttempt();
      }
    }
    sendFirst(first);
    outcome.deliverOffTimer();
  }

  private @Nullable Attempt firstAttempt() {
    if (!destination.cluster().discovered()) {
      complete(null, destination.cluster().discovery().noEndpoints()); // names the service and the source that has not answered
      return null;
    }
    Attempt first = startAttempt(false);
    if (first != null) {
      hedging.schedule(attempts, destination.cluster());
    }
    return first;
  }

  /**
   * Picks an endpoint and prepares an attempt there, counted in flight; null when none is started
   * (the call may have ended: out of time, or no endpoint to go to). Holds the lock.
   */
  private @Nullable Attempt startAttempt(boolean hedge) {
    if (outcome.done()) {
      return null;
    }
    long now = ticker.read();
    if (now >= deadline || attempts > 0 && tooLittleTime(now)) {
      // Past the deadline, or a retry that could not finish: the call ends now. A hedge with too
      // little time is simply not sent: the attempt out keeps the call.
      if (now >= deadline || !hedge) {
        giveUpAtDeadline();
      }
      return null;
    }
    destination.fallBackIfEmpty();
    EndpointState endpoint;
    try {
      endpoint = destination.pick(attempts, hedge ? CallHedging.busyEndpoints(inFlight) : null);
    } catch (MeshException e) {
      // No endpoint: a hedge (or any attempt while one is out) is simply not sent; else the call ends.
      if (!hedge && inFlight.isEmpty() && !endWithFallback()) {
        complete(null, failures.under(e));
      }
      return null;
    } catch (RuntimeException e) {
      return broke("picking an endpoint", e);
    }
    long attemptTimeout = CallDeadline.attemptTimeout(deadline, now, policy.timeouts().perTryTimeout().toNanos());
    Attempt attempt;
    try {
      attempt = destination.prepare(this, endpoint, attempts, hedge, attemptTimeout, policy.timeouts(), observation);
    } catch (RuntimeException e) {
      return broke("preparing an attempt to " + endpoint.endpoint().address(), e);
    }
    attempts++;
    if (hedge) {
      hedging.sent();
    }
    inFlight.add(attempt);
    lastEndpoint = endpoint.endpoint();
    attempt.sent = ticker.read();
    return attempt;
  }

  /** Starting an attempt broke unexpectedly ({@code what}): the call ends, unless an attempt is still out. Holds the lock. */
  private @Nullable Attempt broke(String what, RuntimeException e) {
    if (inFlight.isEmpty()) {
      complete(null, new MeshException(cluster.service(), what + " failed: " + e, e));
    }
    return null;
  }

  private void send(@Nullable Attempt attempt) {
    if (attempt != null) {
      attempt.call.enqueue(attempt);
    }
  }

  /** Whether, at {@code at}, too little is left of the deadline to start another attempt. Holds the lock. */
  boolean tooLittleTime(long at) {
    return CallDeadline.tooLittleTime(deadline, at);
  }

  /** The hedge timer armed as {@code arm} fired: a hedge goes out, if the call still wants one. */
  void hedgeNow(long arm) {
    Attempt hedge = null;
    synchronized (this) {
      if (!hedging.due(arm)) {
        return; // cancelled or replaced after it fell due
      }
      if (outcome.done() || inFlight.isEmpty() || !hedging.mayHedge(attempts)) {
        return; // an answer came, the call is between retries, or it has no hedge or attempt left
      }
      if (!cluster.budget().tryWithdraw()) {
        observation.budgetExhausted();
        return;
      }
      hedge = startAttempt(true);
      if (hedge != null) {
        hedging.schedule(attempts, destination.cluster());
      } else {
        cluster.budget().refund(); // no hedge went out (nowhere to go, or no time): nothing was spent
      }
    }
    send(hedge);
    outcome.deliverOffTimer();
  }

  /** An attempt ended: with a response, or a failure. Called once per attempt, on any thread. */
  void finish(Attempt a, @Nullable Response response, @Nullable IOException failure) {
    long ended = ticker.read();
    long took = ended - a.sent;
    if (failure != null && a.deadline != null) {
      failure = a.deadline.explain(failure); // cut short by its timeout: a timeout, as OkHttp's own would say
    }
    synchronized (this) {
      inFlight.remove(a);
      if (a.cancelled && response == null && failure != null) {
        failure = new AttemptCancelledException(failure); // the mesh cut it short: no fault of the endpoint
      }
      a.observed.end(response != null ? response.code() : 0, failure, took);
      if (outcome.done()) {
        // The call is over (another attempt won, the caller cancelled, the deadline passed).
        a.abandoned(destination.cluster(), response, failure, took, mesh.listener());
      } else if (response != null) {
        answered(a, response, ended, took);
      } else {
        failed(a, failure != null ? failure : new IOException("attempt ended without an answer"), ended, took);
      }
    }
    outcome.deliver();
  }

  private void answered(Attempt a, Response response, long ended, long took) {
    int code = response.code();
    long retryAfter = a.answered(destination.cluster(), response, took, hedging.tracksLatency(), mesh.listener());
    a.response = response;
    boolean retry;
    try {
      retry = retries.retriesAnswer(a);
    } catch (RuntimeException | Error e) {
      a.response = null;
      response.close();
      complete(null, failures.under(retries.ruleFailed(a, e))); // names the rule; the attempts still out are cancelled
      return;
    }
    if (!retry) {
      complete(response, null);
      return;
    }
    a.response = null;
    failures.keepRetryableAnswer(a, response);
    if (inFlight.isEmpty()) { // else a hedge is still out, and may answer better
      retryOrGiveUp(ended, retryAfter, "status_" + code);
    }
  }

  private void failed(Attempt a, IOException failure, long ended, long took) {
    a.failed(destination.cluster(), failure, took, mesh.listener());
    failures.add(failure);
    if (!inFlight.isEmpty()) {
      return; // a hedge is still out
    }
    boolean retryable;
    try {
      retryable = retries.retriesFailure(a);
    } catch (RuntimeException | Error e) {
      complete(null, failures.under(retries.ruleFailed(a, e)));
      return;
    }
    if (!retryable) {
      if (ended >= deadline) {
        giveUpAtDeadline();
      } else {
        giveUp();
      }
      return;
    }
    retryOrGiveUp(ended, -1, a.connectFailure ? "connect_failure" : a.timedOut ? "timeout" : "reset");
  }

  /** After a retryable failure with nothing in flight: another attempt after the backoff ({@link RetryDecision}), or the end. */
  private void retryOrGiveUp(long ended, long retryAfterNanos, String reason) {
    if (ended >= deadline) {
      giveUpAtDeadline();
      return;
    }
    long backoff = retries.backoff(ended, attempts, retryAfterNanos, observation);
    if (backoff == RetryDecision.GIVE_UP_AT_DEADLINE) {
      giveUpAtDeadline();
      return;
    }
    if (backoff == RetryDecision.GIVE_UP) {
      giveUp();
      return;
    }
    hedging.cancel(); // the hedge was for the attempt that just failed; the retry arms its own
    observation.retry(reason);
    failures.closeFallback(); // another attempt follows: a failed attempt's body is closed before it, nothing leaks
    backoffTimer = timer(this::retryNow, backoff);
    if (backoffTimer == null) {
      giveUp();
    }
  }

  private void retryNow() {
    Attempt next;
    synchronized (this) {
      backoffTimer = null;
      next = startAttempt(false);
      if (next != null) {
        hedging.schedule(attempts, destination.cluster());
      }
    }
    send(next);
    outcome.deliverOffTimer();
  }

  /** No more attempts: the last retryable answer if there is one, else the last failure. */
  private void giveUp() {
    if (!endWithFallback()) {
      complete(null, attempts <= 1 ? failures.last() : failures.exhausted(attempts));
    }
  }

  /** The deadline leaves no room: the last retryable answer if there is one, else DeadlineExceeded. Holds the lock. */
  void giveUpAtDeadline() {
    if (!endWithFallback()) {
      complete(null, failures.deadlineExceeded(Duration.ofNanos(deadline - start), attempts));
    }
  }

  /** Ends the call with the last retryable answer, if one is kept ({@link AttemptFailures}). Holds the lock. */
  private boolean endWithFallback() {
    if (!failures.hasFallback()) {
      return false;
    }
    complete(failures.takeFallback(), null);
    return true;
  }

  /** The caller waiting in {@code execute} was interrupted: the call ends. Holds the lock. */
  void interrupted() {
    canceled = true;
    complete(null, new InterruptedIOException("interrupted while calling service '" + cluster.service() + "'"));
  }

  /** Ends the call with its outcome; cancels timers and the attempts still out. Holds the lock. */
  private void complete(@Nullable Response response, @Nullable IOException failure) {
    if (!outcome.decide(response, failure)) {
      if (response != null) {
        response.close();
      }
      return;
    }
    cancelTimer();
    hedging.cancel();
    for (Attempt a : inFlight) {
      a.cancelled = true;
      a.call.cancel(); // each reports through finish(), which closes its body
    }
    failures.closeFallback();
    if (admitted) {
      cluster.admission().release(response != null ? response.code() : 0, failure, canceled, ticker.read() - start);
    }
    observation.end(response, failure, attempts, lastEndpoint);
  }

  /** The sync first attempt threw something unexpected: it is given back and the call ends. */
  private void crashed(Attempt a, Throwable e) {
    synchronized (this) {
      inFlight.remove(a);
      a.crashed(e, ticker.read() - a.sent);
      complete(null, new IOException("attempt to " + a.endpoint.endpoint().address() + " failed: " + e, e));
    }
  }

  /** Cancels the call's timer (backoff, injected delay or wait for discovery), if one is armed. Holds the lock. */
  private void cancelTimer() {
    if (backoffTimer != null) {
      backoffTimer.cancel(false);
      backoffTimer = null;
    }
  }

  /** Schedules {@code task} on the mesh's timer; null when the mesh is closed. */
  @Nullable ScheduledFuture<?> timer(Runnable task, long delayNanos) {
    try {
      return mesh.timer().schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      return null; // the mesh is closed
    }
  }
}
