package io.meshclient.core.internal;

import io.meshclient.api.MeshException;
import io.meshclient.api.MirrorPolicy;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's mirror: copies a share of the route's requests, fire-and-forget, to its target. A copy
 * is picked by the target's balancer and sent asynchronously; its answer is closed unread. At most
 * {@link MirrorPolicy#maxConcurrent()} copies are in flight; a copy beyond them, or with no
 * endpoint to go to, is dropped and counted on the route's service. A copy carries no deadline of
 * the call it copies (the target service's own timeout bounds it) and touches none of its state.
 *
 * <p>A copy is shadow traffic: it is picked in {@linkplain PickState#shadow shadow} mode, so it
 * takes no breaker permit and no adaptive concurrency slot of its endpoint (a slow copy to a
 * subset of the very service it copies cannot make a primary pick fail) and goes to no endpoint
 * whose breaker is not closed. It counts in flight on its endpoint while it runs, as load the
 * balancer should see, but not as a request, and its outcome feeds no breaker, limiter, latency
 * estimate or outlier detector: a failing mirror can never take endpoints away from primary calls.
 *
 * <p>Thread-safe.
 */
final class Mirror {
  private static final Logger log = LoggerFactory.getLogger(Mirror.class);

  private final Target target;
  private final double percent;
  private final Semaphore permits;
  private final int maxConcurrent;
  private final Cluster source;

  Mirror(Target target, MirrorPolicy policy, Cluster source) {
    this.target = target;
    this.percent = policy.percent();
    this.maxConcurrent = policy.maxConcurrent();
    this.permits = new Semaphore(maxConcurrent);
    this.source = source;
  }

  /** Copies in flight now: sent and not yet ended (their permits not yet given back). */
  int inFlight() {
    return maxConcurrent - permits.availablePermits();
  }

  /** Where the copies go. */
  Target target() {
    return target;
  }

  /** Copies {@code request} to the target, if the draw picks it and there is room; never throws. */
  void copy(Request request, MeshInterceptor mesh, CallObserver.Call observation, RandomGenerator random) {
    if (percent < 100 && random.nextDouble() * 100 >= percent) {
      return;
    }
    RequestBody body = request.body();
    if (body != null && body.isOneShot()) {
      return; // the primary reads it; there is no second copy to send
    }
    if (!permits.tryAcquire()) {
      dropped(observation, "too many copies in flight");
      return;
    }
    try {
      send(request, mesh, observation);
    } catch (RuntimeException e) {
      permits.release();
      dropped(observation, e.toString());
    }
  }

  private void send(Request request, MeshInterceptor mesh, CallObserver.Call observation) {
    Cluster cluster = target.cluster();
    EndpointState endpoint;
    PickState picks = cluster.newPickState(cluster.requestKey().of(request), target);
    picks.shadow = true;
    try {
      if (!cluster.discovered()) {
        throw cluster.discovery().noEndpoints();
      }
      endpoint = cluster.pick(picks, 0);
    } catch (MeshException e) {
      permits.release();
      dropped(observation, e.getMessage());
      return;
    }
    endpoint.onShadowSend();
    Call call;
    try {
      call = mesh.transport(cluster).newCall(CallRules.rewrite(request, endpoint).build());
    } catch (RuntimeException e) {
      endpoint.onShadowEnd();
      throw e;
    }
    long timeout = cluster.policy().timeouts().timeout().toNanos();
    if (timeout > 0) {
      call.timeout().timeout(timeout, TimeUnit.NANOSECONDS);
    }
    call.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        response.close();
        ended();
      }

      @Override
      public void onFailure(Call c, IOException e) {
        ended();
      }

      private void ended() {
        endpoint.onShadowEnd();
        permits.release();
      }
    });
  }

  private void dropped(CallObserver.Call observation, String why) {
    source.mirrorDropped();
    observation.mirrorDropped();
    log.debug("service '{}': a mirrored copy to {} was dropped: {}", source.service(), target, why);
  }
}
