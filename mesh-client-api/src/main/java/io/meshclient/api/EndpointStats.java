package io.meshclient.api;

/**
 * One endpoint of a service as a {@link LoadBalancer} sees it: the endpoint and its live load.
 * The mesh keeps one instance per endpoint id for as long as discovery reports the endpoint, so
 * a balancer may compare instances by identity.
 *
 * <pre>{@code
 * EndpointStats lighter = a.inFlight() <= b.inFlight() ? a : b;
 * }</pre>
 *
 * <p>Values are read live and may change between two reads; implementations are thread-safe.
 */
public interface EndpointStats {
  /** The endpoint, as last reported by discovery. */
  Endpoint endpoint();

  /** Attempts sent to this endpoint whose response headers have not arrived yet. */
  int inFlight();

  /**
   * The endpoint's weight right now: discovery's {@link Endpoint#weight()}, lowered while the
   * endpoint ramps up after joining or returning (slow start). Balancers that honour weights use
   * this one. The default is the endpoint's weight.
   */
  default double weight() {
    return endpoint().weight();
  }

  /**
   * Peak-sensitive moving average of this endpoint's response latency, in nanoseconds: it jumps to
   * a slower sample at once and decays towards faster ones (and towards zero while idle, so an
   * endpoint is tried again). The default is 0 (unknown).
   */
  default double latencyNanos() {
    return 0;
  }

  /**
   * Whether the endpoint recently asked for less traffic (a 429 or 503 answer, for as long as its
   * {@code Retry-After} said): a scoring balancer prefers any endpoint that did not. The default is
   * {@code false}.
   */
  default boolean penalized() {
    return false;
  }
}
