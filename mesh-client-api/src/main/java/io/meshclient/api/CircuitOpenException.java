package io.meshclient.api;

/**
 * Every endpoint of the service the call could use has an open circuit breaker, so the call was
 * refused without touching the network. A kind of {@link NoEndpointAvailableException}.
 *
 * <pre>{@code
 * catch (CircuitOpenException e) { return cachedAnswer(); }
 * }</pre>
 */
public final class CircuitOpenException extends NoEndpointAvailableException {
  private final int openEndpoints;

  /** Refused because {@code openEndpoints} endpoints of {@code service} have an open breaker. */
  public CircuitOpenException(String service, int openEndpoints) {
    super(service,
        "circuit open for service '" + service + "': the breakers of all " + openEndpoints
            + " usable endpoint(s) are open",
        null);
    this.openEndpoints = openEndpoints;
  }

  /** How many endpoints were refused by their breaker. */
  public int openEndpoints() {
    return openEndpoints;
  }
}
