package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * What the call engine tells observability (metrics, traces, access log, recent decisions) about
 * each logical call and its attempts. The engine calls {@link #start} once per mesh call and then
 * the returned {@link Call}'s methods; the default observer does nothing and costs nothing.
 *
 * <p>Implementations must be thread-safe: calls run concurrently, and one call's attempts (a hedge,
 * an asynchronous retry) may report from different threads, though never two methods of the same
 * {@link Call} at the same time. An exception thrown by an observer is a bug in it; the engine does
 * not catch it.
 */
public interface CallObserver {
  /** The observer that observes nothing. */
  CallObserver NONE = (cluster, request, route) -> Call.NONE;

  /**
   * A logical call to {@code cluster}'s service begins, for {@code request} (its URL names the
   * service, not an endpoint), on the route named {@code route} ({@code routes[i]} for a route
   * without a name), or on none ({@code null}) when no route of the service took the request and
   * the call goes to the whole service. The attempts may go to another service or a subset (the
   * route's destination); {@link Call#attempt}'s pick state says where.
   */
  Call start(Cluster cluster, Request request, @Nullable String route);

  /** One logical call, as observability sees it. */
  interface Call {
    /** The call that observes nothing. */
    Call NONE = new Call() {};

    /**
     * Attempt {@code attempt} (0 for the first) is about to go to {@code chosen}, picked with
     * {@code picks} (what was tried, what was refused). {@code request} is the attempt's request,
     * already addressed to the endpoint; the observer may add headers to it (trace context).
     *
     * @param hedge whether the attempt is a hedge sent while an earlier one is still in flight
     * @return the attempt's observation
     */
    default Attempt attempt(int attempt, EndpointState chosen, PickState picks, Request.Builder request, boolean hedge) {
      return Attempt.NONE;
    }

    /** The engine decided to retry after an attempt failed for {@code reason} (e.g. {@code status_503}). */
    default void retry(String reason) {}

    /** The retry budget refused a retry or hedge: the failure goes back to the caller. */
    default void budgetExhausted() {}

    /** Admission refused the call before any attempt: {@code by} is {@code bulkhead}, {@code rate_limiter}, ... */
    default void rejected(String by) {}

    /**
     * The route's fault injection acted on the call: {@code kind} is {@code delay}, {@code abort}
     * (an injected status) or {@code abort_connection} (an injected connection error).
     */
    default void faultInjected(String kind) {}

    /** A mirrored copy of the call was dropped: too many copies in flight, or nowhere to send it. */
    default void mirrorDropped() {}

    /**
     * The logical call ended: with {@code response} (handed to the caller) or with {@code failure},
     * after {@code attempts} attempts, the last one to {@code endpoint} (null when none was made).
     */
    default void end(@Nullable Response response, @Nullable Throwable failure, int attempts, @Nullable Endpoint endpoint) {}
  }

  /** One attempt, as observability sees it. */
  interface Attempt {
    /** The attempt that observes nothing. */
    Attempt NONE = (status, failure, nanos) -> {};

    /**
     * The attempt ended: response headers with {@code status} arrived, or it failed with
     * {@code failure} (status 0), after {@code nanos}. An attempt the mesh cancelled (it lost a
     * hedge race, or its call was over) ends with a failure {@link Outcomes} names {@code CANCELLED}
     * and gives no error type.
     */
    void end(int status, @Nullable Throwable failure, long nanos);
  }
}
