package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointStats;

/** Endpoint stats whose load, latency and penalty a test sets by hand. */
final class FakeEndpoint implements EndpointStats {
  private final Endpoint endpoint;
  int inFlight;
  double latencyNanos;
  boolean penalized;

  FakeEndpoint(int port) {
    this(port, 1);
  }

  FakeEndpoint(int port, int weight) {
    this.endpoint = Endpoint.builder("127.0.0.1", port).weight(weight).build();
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public double latencyNanos() {
    return latencyNanos;
  }

  @Override
  public boolean penalized() {
    return penalized;
  }

  @Override
  public String toString() {
    return endpoint.id();
  }
}
