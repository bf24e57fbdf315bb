package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.PickContext;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/** A pick context over fixed candidates with a set of excluded ones, a seeded random source and a settable hash key. */
final class FakePickContext implements PickContext {
  private final List<? extends EndpointStats> endpoints;
  final Set<EndpointStats> excluded = new HashSet<>();
  final RandomGenerator random = new Random(7);
  @Nullable String hashKey;

  FakePickContext(List<? extends EndpointStats> endpoints) {
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

  @Override
  public @Nullable String hashKey() {
    return hashKey;
  }

  @Override
  public RandomGenerator random() {
    return random;
  }
}
