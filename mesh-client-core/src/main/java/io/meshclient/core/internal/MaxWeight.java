package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import java.util.List;

/**
 * The largest configured weight of an endpoint list, cached by the list's identity (see
 * {@link ListCache}), so a pick reads it without a scan.
 * Current weights never exceed configured ones (slow start only lowers them).
 */
final class MaxWeight {
  private final ListCache<Double> cache = new ListCache<>();

  double of(List<? extends EndpointStats> endpoints) {
    return cache.get(endpoints, MaxWeight::compute);
  }

  private static double compute(List<? extends EndpointStats> endpoints) {
    int max = 1;
    for (EndpointStats e : endpoints) {
      max = Math.max(max, e.endpoint().weight());
    }
    return max;
  }
}
