package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limiter;
import io.meshclient.api.AttemptEvent;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.RetryRule;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a {@link MeshCall}: where it went, its transport call, its place in the adaptive
 * concurrency limit, and how it ended, as a {@link RetryRule} reads it. The transport reports the
 * outcome through {@link Callback}; the call then has the attempt tell the endpoint, its limit and
 * the mesh's event listener ({@link #answered}, {@link #failed}, {@link #abandoned}).
 *
 * <p>The call's lock guards the mutable fields; the report methods are called with it held.
 */
final class Attempt implements Callback, RetryRule.Outcome {
  private final MeshCall owner;
  private final String method;

  final int number;
  final EndpointState endpoint;
  final boolean hedge;
  final Call call;
  /** The attempt's timeout on the mesh's timer, or {@code null} if it has none. */
  final @Nullable AttemptDeadline deadline;
  final CallObserver.Attempt observed;
  final Limiter.Listener room;
  long sent;
  @Nullable Response response;
  @Nullable IOException failure;
  boolean connectFailure;
  boolean timedOut;
  /** The mesh cancelled this attempt: its call was decided while it was out. */
  boolean cancelled;

  Attempt(MeshCall owner, String method, int number, EndpointState endpoint, boolean hedge, Call call,
      @Nullable AttemptDeadline deadline, CallObserver.Attempt observed, Limiter.Listener room) {
    this.owner = owner;
    this.method = method;
    this.number = number;
    this.endpoint = endpoint;
    this.hedge = hedge;
    this.call = call;
    this.deadline = deadline;
    this.observed = observed;
    this.room = room;
  }

  /**
   * The attempt answered and its call goes on: the endpoint hears the status and the latency
   * (recorded for a live hedge delay if {@code trackLatency}), the limit a drop on 503 or 429.
   * Holds the lock.
   *
   * @return what the answer's {@code Retry-After} asks for, in nanoseconds, or -1
   */
  long answered(Cluster target, Response answer, long took, boolean trackLatency, MeshEventListener listener) {
    int code = answer.code();
    long retryAfter = CallRules.retryAfterNanos(answer);
    target.onResponse(endpoint, code, took, retryAfter);
    if (code == 503 || code == 429) {
      room.onDropped();
    } else {
      room.onSuccess();
    }
    if (trackLatency) {
      target.latencies().record(took);
    }
    report(target, listener, code, null, took);
    return retryAfter;
  }

  /**
   * The attempt failed and its call goes on: the failure is classified (for the retry rule), the
   * endpoint hears it, and the limit a drop if it timed out. Holds the lock.
   */
  void failed(Cluster target, IOException e, long took, MeshEventListener listener) {
    failure = e;
    connectFailure = CallRules.isConnectFailure(e);
    timedOut = !connectFailure && CallRules.isTimeout(e);
    // A connection refused or torn down (a reset) counts toward the endpoint's gateway-failure
    // streak, as Envoy counts locally originated errors: a dead instance whose pooled connections
    // break under their requests is ejected as fast as one that refuses new ones.
    target.onFailure(endpoint, e, took, connectFailure || RetryRule.reset().shouldRetry(this));
    if (timedOut) {
      room.onDropped();
    } else {
      room.onIgnore();
    }
    report(target, listener, 0, e, took);
  }

  /**
   * The attempt ended after its call was decided: heard, but not held against the endpoint; its
   * body is closed. Holds the lock.
   */
  void abandoned(Cluster target, @Nullable Response answer, @Nullable IOException e, long took,
      MeshEventListener listener) {
    endpoint.abandon();
    room.onIgnore();
    report(target, listener, answer != null ? answer.code() : 0, e, took);
    if (answer != null) {
      answer.close();
    }
  }

  /**
   * The first attempt of {@code execute} threw something unexpected after {@code took}: the
   * endpoint and its limit are given back, and the attempt observed as failed. Holds the lock.
   */
  void crashed(Throwable e, long took) {
    endpoint.abandon();
    room.onIgnore();
    observed.end(0, e, took);
  }

  private void report(Cluster target, MeshEventListener listener, int status, @Nullable IOException e, long took) {
    if (listener != MeshEventListener.NONE) { // no event is built for nobody
      listener.onAttemptEnd(new AttemptEvent(target.service(), endpoint.endpoint(), number, status, e, took));
    }
  }

  @Override
  public void onResponse(Call call, Response response) {
    owner.finish(this, response, null);
  }

  @Override
  public void onFailure(Call call, IOException e) {
    owner.finish(this, null, e);
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public int statusCode() {
    return response != null ? response.code() : 0;
  }

  @Override
  public @Nullable String header(String name) {
    return response != null ? response.header(name) : null;
  }

  @Override
  public @Nullable IOException failure() {
    return failure;
  }

  @Override
  public boolean connectFailure() {
    return connectFailure;
  }

  @Override
  public boolean timedOut() {
    return timedOut;
  }
}
