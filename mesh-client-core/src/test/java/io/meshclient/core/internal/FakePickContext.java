package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.PickContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A pick context over fixed candidates with a set of excluded ones. */
final class FakePickContext implements PickContext {
  private final List<FakeEndpoint> endpoints;
  final Set<EndpointStats> excluded = new HashSet<>();

  FakePickContext(List<FakeEndpoint> endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public String service() {
    return "orders";
  }

  @Override
  public List<? extends EndpointStats> endpoints() {
    return endpoints;
  }

  @Override
  public boolean isExcluded(EndpointStats candidate) {
    return excluded.contains(candidate);
  }
}
