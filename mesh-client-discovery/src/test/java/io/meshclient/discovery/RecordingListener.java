package io.meshclient.discovery;

import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServiceDiscovery;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Remembers every set and error a source pushed. */
final class RecordingListener implements ServiceDiscovery.Listener {
  final List<EndpointSet> sets = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();

  @Override
  public void onEndpoints(EndpointSet endpoints) {
    sets.add(endpoints);
  }

  @Override
  public void onError(Throwable error) {
    errors.add(error);
  }

  @Nullable EndpointSet last() {
    return sets.isEmpty() ? null : sets.get(sets.size() - 1);
  }

  @Nullable Throwable lastError() {
    return errors.isEmpty() ? null : errors.get(errors.size() - 1);
  }
}
