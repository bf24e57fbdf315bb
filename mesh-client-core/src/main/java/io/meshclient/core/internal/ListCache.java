package io.meshclient.core.internal;

import java.util.List;
import java.util.function.Function;

/**
 * What a balancer derives from a candidate list (a hash ring, the largest weight), kept for the
 * last few lists by identity: the mesh passes the same list instance until the eligible set
 * changes, and with zones it alternates between the local and the remote list, so one entry
 * would be rebuilt on every switch. Copy-on-write; reads take no lock.
 */
final class ListCache<T> {
  private static final int SIZE = 4;

  private volatile Entry<?>[] entries = new Entry<?>[0];

  /** The value for {@code list}, built with {@code build} (at most once per list, barring races) if absent. */
  @SuppressWarnings("unchecked")
  <L extends List<?>> T get(L list, Function<? super L, T> build) {
    Entry<?>[] current = entries;
    for (Entry<?> e : current) {
      if (e.list == list) {
        return (T) e.value;
      }
    }
    T value = build.apply(list);
    put(list, value);
    return value;
  }

  private synchronized void put(List<?> list, Object value) {
    Entry<?>[] current = entries;
    int keep = Math.min(current.length, SIZE - 1);
    Entry<?>[] next = new Entry<?>[keep + 1];
    next[0] = new Entry<>(list, value);
    System.arraycopy(current, 0, next, 1, keep);
    entries = next;
  }

  private record Entry<V>(List<?> list, V value) {}
}
