package io.meshclient.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The pools of a cluster's subsets (the routes' {@link Target}s on it): each subset's endpoints
 * taken from the cluster's pool and split like it (health, ejections, zones, panic mode within the
 * subset), rebuilt with it on every change, so a pick in a subset reads one immutable map more
 * than any pick. Subsets are kept by value ({@link Target#equals}): a route table made again after
 * a reload registers the same subsets again and finds them known, and {@link #retain} drops those
 * no table uses any more.
 *
 * <p>Changed only under the cluster's lock; read without a lock.
 */
final class SubsetPools {
  private List<Target> subsets = List.of();
  private volatile Map<Target, Pool> pools = Map.of();

  /** Registers {@code subset}; false if it was already known. The caller then rebuilds. */
  boolean add(Target subset) {
    if (subsets.contains(subset)) {
      return false;
    }
    List<Target> more = new ArrayList<>(subsets);
    more.add(subset);
    subsets = List.copyOf(more);
    return true;
  }

  /**
   * Keeps only the subsets in {@code used}; true if some were dropped. The caller then rebuilds,
   * which publishes a map without them.
   */
  boolean retain(Set<Target> used) {
    List<Target> kept = new ArrayList<>(subsets.size());
    for (Target subset : subsets) {
      if (used.contains(subset)) {
        kept.add(subset);
      }
    }
    if (kept.size() == subsets.size()) {
      return false;
    }
    subsets = List.copyOf(kept);
    if (kept.isEmpty()) {
      pools = Map.of(); // rebuild skips an empty list
    }
    return true;
  }

  /** The number of subsets registered. */
  int size() {
    return subsets.size();
  }

  /** Rebuilds every subset's pool from the cluster's new pool {@code whole}; {@code prepare} readies each for the balancer. */
  void rebuild(Pool whole, long now, int panicThresholdPercent, @Nullable String zone, Consumer<Pool> prepare) {
    if (subsets.isEmpty()) {
      return;
    }
    Map<Target, Pool> next = new HashMap<>();
    for (Target subset : subsets) {
      Pool p = of(whole, subset, now, panicThresholdPercent, zone);
      prepare.accept(p);
      next.put(subset, p);
    }
    pools = java.util.Collections.unmodifiableMap(next);
  }

  /** The pool of {@code subset}, as last rebuilt; null if the subset was never registered. */
  @Nullable Pool get(Target subset) {
    return pools.get(subset);
  }

  /** The pool of the endpoints of {@code whole} that carry every label of {@code subset}. */
  static Pool of(Pool whole, Target subset, long now, int panicThresholdPercent, @Nullable String zone) {
    List<EndpointState> members = new ArrayList<>();
    for (EndpointState e : whole.all()) {
      if (subset.matches(e.endpoint())) {
        members.add(e);
      }
    }
    return Pool.of(List.copyOf(members), now, panicThresholdPercent, zone);
  }
}
