package io.meshclient.core.internal;

import io.meshclient.api.EndpointStats;
import java.util.List;

/**
 * The largest configured weight of an endpoint list, cached by the list's identity (the mesh
 * passes the same instance until the eligible set changes), so a pick reads it without a scan.
 * Current weights never exceed configured ones (slow start only lowers them).
 */
final class MaxWeight {
  private volatile Cached cached = new Cached(List.of(), 1);

  double of(List<? extends EndpointStats> endpoints) {
    Cached c = cached;
    if (c.list != endpoints) {
      int max = 1;
      for (EndpointStats e : endpoints) {
        max = Math.max(max, e.endpoint().weight());
      }
      c = new Cached(endpoints, max);
      cached = c;
    }
    return c.max;
  }

  private record Cached(List<?> list, int max) {}
}
