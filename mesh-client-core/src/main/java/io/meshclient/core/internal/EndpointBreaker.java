package io.meshclient.core.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker of one endpoint: the Resilience4j breaker, made on the first attempt that
 * asks for a permit, and the reporting of its state changes, each change once. The breaker's
 * state is watched around each call to it instead of through its events, which would make
 * Resilience4j build an event object for every recorded call.
 *
 * <p>Held by its {@link EndpointState}, which calls it on the request path (permit, outcome,
 * release) and from the cluster (reset after a readmission). Thread-safe and lock-free once the
 * breaker is made (a volatile field, the breaker's own state machine and a CAS on the state last
 * reported); making it takes this object's lock, once. Nothing here allocates per call.
 */
final class EndpointBreaker {
  private final EndpointState endpoint;
  private final @Nullable Function<EndpointState, CircuitBreaker> factory;
  private final Transitions transitions;
  private volatile @Nullable CircuitBreaker breaker;
  /** The breaker state last reported to {@link #transitions}; a breaker starts closed. */
  private final AtomicReference<CircuitBreaker.State> reportedState =
      new AtomicReference<>(CircuitBreaker.State.CLOSED);

  /**
   * @param factory makes the breaker of {@code endpoint} when its first attempt asks for a permit,
   *     or {@code null} for no breaker
   */
  EndpointBreaker(EndpointState endpoint, @Nullable Function<EndpointState, CircuitBreaker> factory,
      Transitions transitions) {
    this.endpoint = endpoint;
    this.factory = factory;
    this.transitions = transitions;
  }

  /** Asks the breaker for a permit; true when there is no breaker. */
  boolean tryAcquire() {
    if (factory == null) {
      return true;
    }
    CircuitBreaker b = breaker;
    if (b == null) {
      synchronized (this) {
        b = breaker;
        if (b == null) {
          b = factory.apply(endpoint);
          breaker = b;
        }
      }
    }
    CircuitBreaker.State before = b.getState();
    boolean permitted = b.tryAcquirePermission();
    noticeTransition(b, before);
    return permitted;
  }

  /** Records a 5xx response (a failure, through {@code onResult}) if there is a breaker. */
  void onResult(long nanos, int status) {
    CircuitBreaker b = breaker;
    if (b != null) {
      CircuitBreaker.State before = b.getState();
      b.onResult(nanos, TimeUnit.NANOSECONDS, status);
      noticeTransition(b, before);
    }
  }

  /** Records a response below 500 if there is a breaker. */
  void onSuccess(long nanos) {
    CircuitBreaker b = breaker;
    if (b != null) {
      CircuitBreaker.State before = b.getState();
      b.onSuccess(nanos, TimeUnit.NANOSECONDS);
      noticeTransition(b, before);
    }
  }

  /** Records a failed attempt if there is a breaker. */
  void onError(long nanos, Throwable failure) {
    CircuitBreaker b = breaker;
    if (b != null) {
      CircuitBreaker.State before = b.getState();
      b.onError(nanos, TimeUnit.NANOSECONDS, failure);
      noticeTransition(b, before);
    }
  }

  /** Gives back a permit unused (the attempt ended without a verdict on the endpoint). */
  void release() {
    CircuitBreaker b = breaker;
    if (b != null) {
      b.releasePermission();
    }
  }

  /**
   * Forgets the breaker's window (after a readmission): failures from before the ejection were
   * already acted on, and must not open the breaker on the endpoint's first answers back.
   */
  void reset() {
    CircuitBreaker b = breaker;
    if (b != null) {
      CircuitBreaker.State before = b.getState();
      b.reset();
      noticeTransition(b, before);
    }
  }

  /** The breaker's state name ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}), or {@code DISABLED}. */
  String state() {
    CircuitBreaker b = breaker;
    return b != null ? b.getState().name() : factory == null ? "DISABLED" : "CLOSED";
  }

  /** Whether the breaker lets a mirrored copy through without a permit: it is closed, or there is none. */
  boolean admitsShadow() {
    CircuitBreaker b = breaker;
    if (b == null) {
      return true;
    }
    CircuitBreaker.State state = b.getState();
    return state == CircuitBreaker.State.CLOSED || state == CircuitBreaker.State.DISABLED
        || state == CircuitBreaker.State.METRICS_ONLY;
  }

  /**
   * Reports a change of the breaker's state seen after the call just done on this thread.
   *
   * <p>Several threads may see the same change at once (each read the old state before, and the
   * new one after, its own call): the change is reported from the state last reported, and only
   * by the thread that swaps that state, so each change is reported once.
   */
  private void noticeTransition(CircuitBreaker b, CircuitBreaker.State before) {
    CircuitBreaker.State after = b.getState();
    if (after == before) {
      return;
    }
    CircuitBreaker.State reported = reportedState.get();
    while (reported != after) {
      if (reportedState.compareAndSet(reported, after)) {
        transitions.changed(endpoint, reported.name(), after.name());
        return;
      }
      reported = reportedState.get();
    }
  }

  /** Hears the breaker state changes of the endpoints of one cluster. */
  @FunctionalInterface
  interface Transitions {
    Transitions NONE = (endpoint, from, to) -> {};

    void changed(EndpointState endpoint, String from, String to);
  }
}
