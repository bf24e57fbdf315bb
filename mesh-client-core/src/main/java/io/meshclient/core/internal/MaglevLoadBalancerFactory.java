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
 * {@code maglev}: consistent hashing through a lookup table (Eisenbud et al., Maglev, NSDI 2016),
 * weighted. Each endpoint walks its own permutation of the table's slots (an offset and a skip
 * from its id's hash) and the endpoints take turns claiming the next free slot on their walk, an
 * endpoint of half the largest weight taking a turn every other round, until the table is full. A
 * key's endpoint is one array read; the load is nearly even; and an endpoint that leaves moves
 * little more than its own keys. A request without a key goes to a random slot; an excluded owner
 * passes the request on to the next slot. Slow start does not change the table; configured
 * weights do.
 */
public final class MaglevLoadBalancerFactory implements LoadBalancerFactory {
  /** The policy name of this balancer. */
  public static final String NAME = "maglev";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public LoadBalancer create(String service, LoadBalancingPolicy settings) {
    return new Maglev(settings.maglevTableSize());
  }

  static final class Maglev implements LoadBalancer {
    private final int size;
    private final ListCache<int[]> tables = new ListCache<>();

    Maglev(int size) {
      this.size = size;
    }

    @Override
    public PickResult pick(PickContext context) {
      List<? extends EndpointStats> endpoints = context.endpoints();
      int n = endpoints.size();
      if (n == 0) {
        return PickResult.none("no endpoints");
      }
      int[] slots = tables.get(endpoints, this::build);
      String key = context.hashKey();
      int slot = key != null ? (int) Long.remainderUnsigned(Hashing.hash(key), size) : context.random().nextInt(size);
      for (int i = 0; i < size; i++) {
        EndpointStats owner = endpoints.get(slots[(slot + i) % size]);
        if (!context.isExcluded(owner)) {
          return EndpointState.picked(owner);
        }
      }
      return PickResult.none("all " + n + " endpoint(s) are excluded for this attempt");
    }

    @Override
    public void prepare(List<? extends EndpointStats> endpoints) {
      if (!endpoints.isEmpty()) {
        tables.get(endpoints, this::build);
      }
    }

    /** The lookup table: the index of each slot's endpoint. */
    private int[] build(List<? extends EndpointStats> endpoints) {
      int n = endpoints.size();
      long[] offset = new long[n];
      long[] skip = new long[n];
      long[] next = new long[n];
      double[] weight = new double[n];
      double[] target = new double[n];
      double max = 0;
      for (int i = 0; i < n; i++) {
        long h = Hashing.hash(endpoints.get(i).endpoint().id());
        offset[i] = Long.remainderUnsigned(h, size);
        skip[i] = Long.remainderUnsigned(Hashing.derive(h, 1), size - 1) + 1;
        weight[i] = endpoints.get(i).endpoint().weight();
        max = Math.max(max, weight[i]);
      }
      int[] slots = new int[size];
      Arrays.fill(slots, -1);
      int filled = 0;
      for (long round = 1; filled < size; round++) {
        for (int i = 0; i < n && filled < size; i++) {
          // An endpoint of the largest weight takes a slot every round; one of a third of it, every third round.
          if (round * weight[i] < target[i]) {
            continue;
          }
          target[i] += max;
          int slot = (int) ((offset[i] + skip[i] * next[i]) % size);
          while (slots[slot] >= 0) {
            next[i]++;
            slot = (int) ((offset[i] + skip[i] * next[i]) % size);
          }
          slots[slot] = i;
          next[i]++;
          filled++;
        }
      }
      return slots;
    }
  }
}
