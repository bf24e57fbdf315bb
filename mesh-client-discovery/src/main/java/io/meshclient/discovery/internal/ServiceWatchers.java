package io.meshclient.discovery.internal;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServiceDiscovery;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of a source, by service, with the last set and error each service had: a source
 * publishes what it learns here, and every listener of the service hears it, in order, never two
 * calls at once. An unchanged set is not pushed again; a listener that joins late gets the current
 * set at once (or the current error, if the service has no set yet).
 *
 * <p>Thread-safe.
 */
public final class ServiceWatchers {
  private static final Logger log = LoggerFactory.getLogger(ServiceWatchers.class);

  private final Map<String, Watched> services = new ConcurrentHashMap<>();
  private final Consumer<String> onFirstListener;

  /**
   * @param onFirstListener called with a service name when its first listener joins (outside any
   *     lock), so the source can start watching it
   */
  public ServiceWatchers(Consumer<String> onFirstListener) {
    this.onFirstListener = requireNonNull(onFirstListener, "onFirstListener");
  }

  /** Adds a listener to {@code service}; closing the subscription removes it. */
  public ServiceDiscovery.Subscription add(String service, ServiceDiscovery.Listener listener) {
    requireNonNull(service, "service");
    requireNonNull(listener, "listener");
    boolean[] first = new boolean[1];
    Watched watched = services.computeIfAbsent(service, name -> {
      first[0] = true;
      return new Watched(name);
    });
    synchronized (watched) {
      watched.listeners.add(listener);
      if (watched.endpoints != null) {
        deliver(watched.name, listener, watched.endpoints, null);
      } else if (watched.error != null) {
        deliver(watched.name, listener, null, watched.error);
      }
    }
    if (first[0]) {
      onFirstListener.accept(service);
    }
    return () -> watched.listeners.remove(listener);
  }

  /** The services that have been watched. */
  public Set<String> services() {
    return services.keySet();
  }

  /** The last set published for {@code service}, or {@code null}. */
  public @Nullable EndpointSet endpoints(String service) {
    Watched watched = services.get(service);
    return watched == null ? null : watched.endpoints;
  }

  /** Publishes a new set for {@code service}; pushed only if it differs from the last one, or ends an error. */
  public void publish(String service, EndpointSet endpoints) {
    Watched watched = services.get(service);
    if (watched == null) {
      return;
    }
    synchronized (watched) {
      boolean recovering = watched.error != null;
      watched.error = null;
      if (endpoints.equals(watched.endpoints) && !recovering) {
        return;
      }
      watched.endpoints = endpoints;
      for (ServiceDiscovery.Listener listener : watched.listeners) {
        deliver(service, listener, endpoints, null);
      }
    }
  }

  /** Reports a failure to refresh {@code service}; its listeners keep the last set. */
  public void fail(String service, Throwable error) {
    Watched watched = services.get(service);
    if (watched == null) {
      return;
    }
    synchronized (watched) {
      watched.error = error;
      for (ServiceDiscovery.Listener listener : watched.listeners) {
        deliver(service, listener, null, error);
      }
    }
  }

  private static void deliver(String service, ServiceDiscovery.Listener listener, @Nullable EndpointSet endpoints,
      @Nullable Throwable error) {
    try {
      if (endpoints != null) {
        listener.onEndpoints(endpoints);
      } else if (error != null) {
        listener.onError(error);
      }
    } catch (RuntimeException e) {
      // One listener's bug must not stop the others, nor the source's refresh loop.
      log.warn("a discovery listener of service '{}' failed", service, e);
    }
  }

  private static final class Watched {
    final String name;
    final List<ServiceDiscovery.Listener> listeners = new CopyOnWriteArrayList<>();
    volatile @Nullable EndpointSet endpoints;
    volatile @Nullable Throwable error;

    Watched(String name) {
      this.name = name;
    }
  }
}
