package io.meshclient.discovery.testing;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServiceDiscovery;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Records what a discovery source pushes, for tests. Thread-safe. */
public final class RecordingListener implements ServiceDiscovery.Listener {
  private final List<EndpointSet> sets = new CopyOnWriteArrayList<>();
  private final List<Throwable> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private volatile boolean overlapped;

  @Override
  public void onEndpoints(EndpointSet endpoints) {
    enter();
    sets.add(endpoints);
    concurrent.decrementAndGet();
  }

  @Override
  public void onError(Throwable error) {
    enter();
    errors.add(error);
    concurrent.decrementAndGet();
  }

  private void enter() {
    if (concurrent.incrementAndGet() > 1) {
      overlapped = true;
    }
  }

  /** Every set pushed, oldest first. */
  public List<EndpointSet> sets() {
    return List.copyOf(sets);
  }

  /** Every error reported, oldest first. */
  public List<Throwable> errors() {
    return List.copyOf(errors);
  }

  /** The ids of the latest set, or null if none was pushed. */
  public List<String> latestIds() {
    if (sets.isEmpty()) {
      return null;
    }
    return sets.get(sets.size() - 1).endpoints().stream().map(Endpoint::id).collect(Collectors.toList());
  }

  /** The latest set, or null. */
  public EndpointSet latest() {
    return sets.isEmpty() ? null : sets.get(sets.size() - 1);
  }

  /** Whether any set pushed was empty. */
  public boolean pushedAnEmptySet() {
    return sets.stream().anyMatch(EndpointSet::isEmpty);
  }

  /** Whether two calls ever overlapped. */
  public boolean overlapped() {
    return overlapped;
  }
}
