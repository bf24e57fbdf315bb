package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointStats;

/** An endpoint with a load a test sets. */
final class FakeEndpoint implements EndpointStats {
  private final Endpoint endpoint;
  int inFlight;

  FakeEndpoint(int port) {
    this.endpoint = Endpoint.of("127.0.0.1", port);
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
  public String toString() {
    return endpoint.id();
  }
}
