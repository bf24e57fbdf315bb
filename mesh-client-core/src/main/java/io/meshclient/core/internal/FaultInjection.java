package io.meshclient.core.internal;

import io.meshclient.api.FaultPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.util.random.RandomGenerator;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * A route's fault, drawn for one {@link MeshCall} whose request qualifies: a delay before the first
 * attempt, then (or instead) an abort with an injected HTTP status or connection error. The call
 * waits the delay out on the mesh's timer and asks for the abort again when it is over.
 *
 * <p>Immutable; its draws use the cluster's random generator, which is thread-safe. The call draws
 * with its lock held, so a call's draws come in order.
 */
final class FaultInjection {
  private final FaultPolicy fault;
  private final RouteTable.Entry route;
  private final Request request;
  private final Cluster cluster;

  private FaultInjection(FaultPolicy fault, RouteTable.Entry route, Request request, Cluster cluster) {
    this.fault = fault;
    this.route = route;
    this.request = request;
    this.cluster = cluster;
  }

  /** The fault of {@code route} for {@code request}, or null when there is none or the request does not qualify. */
  static @Nullable FaultInjection of(RouteTable.@Nullable Entry route, Request request, Cluster cluster) {
    FaultPolicy fault = route != null ? route.fault : null;
    if (fault == null || fault.headerName() != null && !fault.headerMatch().matches(request.header(fault.headerName()))) {
      return null;
    }
    return new FaultInjection(fault, route, request, cluster);
  }

  /**
   * Draws the delay: how long the first attempt waits, in nanoseconds, observed as injected; or -1
   * when none is drawn. The delay counts against the call's {@code deadline} (read on {@code
   * ticker}): it is cut to the time left, and at the deadline the call gives up instead of sending.
   * Holds the call's lock.
   */
  long drawDelay(CallObserver.Call observation, long deadline, Ticker ticker) {
    if (!fault.delays() || !CallRules.drawn(cluster.random(), fault.delayPercent())) {
      return -1;
    }
    observation.faultInjected("delay");
    return CallDeadline.bound(fault.delay().toNanos(), deadline, ticker);
  }

  /**
   * Draws the abort: the call's outcome, observed as injected, or null when none is drawn. The
   * outcome is not retried.
   */
  @Nullable Abort drawAbort(CallObserver.Call observation) {
    RandomGenerator random = cluster.random();
    if (!fault.aborts() || !CallRules.drawn(random, fault.abortPercent())) {
      return null;
    }
    if (fault.abortConnectionError()) {
      observation.faultInjected("abort_connection");
      return new Abort(null, new ConnectException("fault injected by " + route + " of service '"
          + cluster.service() + "': connection refused"));
    }
    observation.faultInjected("abort");
    return new Abort(new Response.Builder().request(request).protocol(Protocol.HTTP_1_1)
        .code(fault.abortHttpStatus()).message("Fault Injected")
        .body(ResponseBody.create("", null)).build(), null);
  }

  /** An injected outcome: a response, or a failure. */
  record Abort(@Nullable Response response, @Nullable IOException failure) {}
}
