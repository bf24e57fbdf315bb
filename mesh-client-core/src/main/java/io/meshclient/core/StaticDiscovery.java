package io.meshclient.core;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The built-in registry: endpoints given in code, no server needed. The mesh builder uses one for
 * every service configured with {@code endpoints(...)}; build your own to change endpoints at run
 * time with {@link #update}, which pushes the new set to every watcher as discovery would.
 *
 * <pre>{@code
 * StaticDiscovery discovery = new StaticDiscovery();
 * discovery.update("orders", List.of(Endpoint.of("10.0.0.7", 8080)));
 * MeshClient mesh = MeshClient.builder().discovery(discovery).service("orders", s -> {}).build();
 * discovery.update("orders", List.of(Endpoint.of("10.0.0.7", 8080), Endpoint.of("10.0.0.9", 8080)));
 * }</pre>
 *
 * <p>Thread-safe; updates to one service reach its watchers in the order they were made.
 */
public final class StaticDiscovery implements ServiceDiscovery {
  private final Map<String, Entry> services = new ConcurrentHashMap<>();

  /** An empty registry; add services with {@link #update}. */
  public StaticDiscovery() {}

  /** A registry holding {@code endpoints} by service name. */
  public static StaticDiscovery of(Map<String, List<Endpoint>> endpoints) {
    StaticDiscovery discovery = new StaticDiscovery();
    endpoints.forEach(discovery::update);
    return discovery;
  }

  /**
   * Sets the endpoints of {@code service} and pushes them to its watchers.
   *
   * @throws MeshConfigException if two endpoints share an id
   */
  public void update(String service, List<Endpoint> endpoints) {
    requireNonNull(service, "service");
    EndpointSet set;
    try {
      set = EndpointSet.of(endpoints);
    } catch (MeshConfigException e) {
      throw e.withParent("services." + service);
    }
    Entry entry = services.computeIfAbsent(service, name -> new Entry());
    synchronized (entry) {
      entry.endpoints = set;
      for (Listener listener : entry.listeners) {
        listener.onEndpoints(set);
      }
    }
  }

  /** The endpoints currently set for {@code service}, or an empty set. */
  public EndpointSet endpoints(String service) {
    Entry entry = services.get(service);
    return entry == null ? EndpointSet.empty() : entry.endpoints;
  }

  /** Pushes the current set at once; then every {@link #update}. */
  @Override
  public Subscription watch(String service, Listener listener) {
    requireNonNull(listener, "listener");
    Entry entry = services.get(requireNonNull(service, "service"));
    if (entry == null) {
      throw new IllegalArgumentException("static discovery has no endpoints for service '" + service
          + "'; known: " + new java.util.TreeSet<>(services.keySet()));
    }
    synchronized (entry) {
      entry.listeners.add(listener);
      listener.onEndpoints(entry.endpoints);
    }
    return () -> entry.listeners.remove(listener);
  }

  @Override
  public String toString() {
    return "StaticDiscovery" + new java.util.TreeMap<>(services);
  }

  private static final class Entry {
    volatile EndpointSet endpoints = EndpointSet.empty();
    final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public String toString() {
      return endpoints.toString();
    }
  }
}
