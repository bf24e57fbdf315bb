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
}
