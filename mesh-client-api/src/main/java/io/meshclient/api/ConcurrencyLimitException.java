package io.meshclient.api;

/**
 * Every endpoint of the service was at its adaptive concurrency limit, so the call was refused
 * without touching the network: sending more would only queue behind the work they already have. A
 * kind of {@link NoEndpointAvailableException}, like {@link CircuitOpenException}.
 *
 * <pre>{@code
 * catch (ConcurrencyLimitException e) { return serviceUnavailable(); }
 * }</pre>
 */
public final class ConcurrencyLimitException extends NoEndpointAvailableException {
  private final int endpoints;

  /** A call to {@code service} was refused: all {@code endpoints} usable endpoints were at their limit. */
  public ConcurrencyLimitException(String service, int endpoints) {
    super(service, "call to service '" + service + "' refused: all " + endpoints
        + " usable endpoint(s) are at their adaptive concurrency limit", null);
    this.endpoints = endpoints;
  }

  /** How many endpoints were at their limit. */
  public int endpoints() {
    return endpoints;
  }
}
