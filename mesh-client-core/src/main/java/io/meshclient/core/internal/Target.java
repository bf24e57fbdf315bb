package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A route's destination, resolved: the cluster of its service and the labels of its subset (null
 * for all endpoints). It is the key of its subset's pool in the cluster and is equal by value (the
 * same cluster, the same labels), so a route table made again after a reload finds the pools of
 * the subsets it shares with the table it replaces. Immutable.
 */
final class Target {
  private final Cluster cluster;
  private final @Nullable Map<String, String> subset;
  /** Computed once: a pick in a subset looks its pool up by this key. */
  private final int hash;

  Target(Cluster cluster, Map<String, String> subset) {
    this.cluster = cluster;
    this.subset = subset.isEmpty() ? null : Map.copyOf(subset);
    this.hash = 31 * System.identityHashCode(cluster) + Objects.hashCode(this.subset);
  }

  Cluster cluster() {
    return cluster;
  }

  /** The labels every endpoint of the subset carries, or null for all endpoints. */
  @Nullable Map<String, String> subset() {
    return subset;
  }

  /** Whether {@code endpoint} carries every label of the subset. */
  boolean matches(Endpoint endpoint) {
    if (subset == null) {
      return true;
    }
    Map<String, String> labels = endpoint.labels();
    for (Map.Entry<String, String> label : subset.entrySet()) {
      if (!label.getValue().equals(labels.get(label.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Target && cluster == ((Target) o).cluster
        && Objects.equals(subset, ((Target) o).subset);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return cluster.service() + (subset == null ? "" : " " + new java.util.TreeMap<>(subset));
  }
}
