package io.meshclient.core;

import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServiceDiscovery;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A discovery source the test drives by hand: it says nothing until told to. */
final class ControlledSource implements ServiceDiscovery {
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public Subscription watch(String service, Listener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  void push(EndpointSet endpoints) {
    listeners.forEach(l -> l.onEndpoints(endpoints));
  }

  void fail(Throwable error) {
    listeners.forEach(l -> l.onError(error));
  }

  @Override
  public String toString() {
    return "controlled";
  }
}
