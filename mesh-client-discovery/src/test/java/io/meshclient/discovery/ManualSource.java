package io.meshclient.discovery;

import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServiceDiscovery;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A source the test drives by hand, for the services it is told it knows. */
final class ManualSource implements ServiceDiscovery {
  private final String name;
  private final Set<String> services;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  ManualSource(String name, String... services) {
    this.name = name;
    this.services = Set.of(services);
  }

  @Override
  public Subscription watch(String service, Listener listener) {
    if (!services.contains(service)) {
      throw new IllegalArgumentException(name + " does not know " + service);
    }
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void push(EndpointSet endpoints) {
    listeners.forEach(l -> l.onEndpoints(endpoints));
  }

  void fail(String message) {
    listeners.forEach(l -> l.onError(new java.io.IOException(message)));
  }

  int listeners() {
    return listeners.size();
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return name;
  }
}
