package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.PickContext;
import io.meshclient.api.PickResult;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ring_hash}: consistent hashing on a ring (Karger et al.). Each endpoint owns points on a
 * 64-bit ring in proportion to its weight, derived from its id alone; a request's key hashes to a
 * position and goes to the owner of the next point clockwise. An endpoint that leaves takes only
 * its own points with it, so only its keys (about 1/N of them) move; no other key changes
 * endpoint. Each endpoint gets 128 points per unit of weight; only a ring that would be smaller
 * than {@link LoadBalancingPolicy#minimumRingSize()} (fewer than 8 units of weight in all, by
 * default) or larger than {@link LoadBalancingPolicy#MAX_RING_SIZE} is scaled, and a change that
 * crosses those bounds moves more keys. A request without a key goes to a
 * random endpoint; an excluded owner passes the request on clockwise. Slow start does not change
 * the ring (it would move keys); configured weights do.
 */
public final class RingHashLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "ring_hash";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service, LoadBalancingPolicy settings) {
    return new RingHash(settings.minimumRingSize());
  }

  static final class RingHash implements LoadBalancer {
    /** Low bits of a ring point that hold its owner's index. */
    private static final int INDEX_BITS = 20;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
    private static final int POINTS_PER_WEIGHT = 128;

    private final int minimumRingSize;
    private final ListCache<long[]> rings = new ListCache<>();

    RingHash(int minimumRingSize) {
      this.minimumRingSize = minimumRingSize;
    }

    @Override
    public PickResult pick(PickContext context) {
      List<? extends EndpointStats> endpoints = context.endpoints();
      int n = endpoints.size();
      if (n == 0) {
        return PickResult.none("no endpoints");
      }
      long[] points = rings.get(endpoints, this::build);
      String key = context.hashKey();
      long position = key != null ? Hashing.hash(key) : context.random().nextLong();
      int at = Arrays.binarySearch(points, position & ~INDEX_MASK);
      int start = at >= 0 ? at : -at - 1;
      for (int i = 0; i < points.length; i++) {
        EndpointStats owner = endpoints.get((int) (points[(start + i) % points.length] & INDEX_MASK));
        if (!context.isExcluded(owner)) {
          return EndpointState.picked(owner);
        }
      }
      return PickResult.none("all " + n + " endpoint(s) are excluded for this attempt");
    }

    @Override
    public void prepare(List<? extends EndpointStats> endpoints) {
      if (!endpoints.isEmpty()) {
        rings.get(endpoints, this::build);
      }
    }

    /** The ring: sorted points, each a hash in the high bits and an owner index in the low. */
    private long[] build(List<? extends EndpointStats> endpoints) {
      int n = endpoints.size();
      if (n > INDEX_MASK) {
        throw new IllegalStateException("ring_hash supports at most " + INDEX_MASK + " endpoints, not " + n);
      }
      long total = 0;
      for (EndpointStats e : endpoints) {
        total += e.endpoint().weight();
      }
      // Points per unit of weight: fixed, so an endpoint's points depend on nothing but itself and
      // a change elsewhere moves no key of it. Raised only for a ring below the minimum size,
      // lowered only for one above the maximum.
      double perWeight = POINTS_PER_WEIGHT;
      if (total * perWeight < minimumRingSize) {
        perWeight = Math.ceil((double) minimumRingSize / total);
      } else if (total * perWeight > LoadBalancingPolicy.MAX_RING_SIZE) {
        perWeight = (double) LoadBalancingPolicy.MAX_RING_SIZE / total;
      }
      int[] replicas = new int[n];
      int count = 0;
      for (int i = 0; i < n; i++) {
        replicas[i] = (int) Math.max(1, Math.round(perWeight * endpoints.get(i).endpoint().weight()));
        count += replicas[i];
      }
      long[] points = new long[count];
      int p = 0;
      for (int i = 0; i < n; i++) {
        long seed = Hashing.hash(endpoints.get(i).endpoint().id());
        for (int k = 0; k < replicas[i]; k++) {
          points[p++] = (Hashing.derive(seed, k) & ~INDEX_MASK) | i;
        }
      }
      Arrays.sort(points);
      return points;
    }
  }
}
