package io.meshclient.discovery;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several discovery sources behind one, either by priority or merged.
 *
 * <ul>
 *   <li>{@link #priority}: the first source, in the order given, whose latest answer is a
 *       non-empty set and who is not failing wins; when it fails or reports no endpoint, the next
 *       one takes over, and it wins again as soon as it answers with endpoints. When no source has
 *       endpoints and one of them is failing, the composite reports the failure, so the mesh keeps
 *       its last known good set; only when every source that answered says "no endpoints" is an
 *       empty set pushed.
 *   <li>{@link #merged}: the union of every source's latest set, by endpoint id (the first source
 *       wins on a shared id). A failing source keeps contributing its last known set; the failure
 *       is logged once per outage and reported to the mesh only while every source fails.
 * </ul>
 *
 * <pre>{@code
 * ServiceDiscovery discovery = CompositeDiscovery.priority(
 *     kubernetesSource,                                      // preferred
 *     FileDiscovery.of(Path.of("/etc/mesh/endpoints.yaml"))); // when Kubernetes fails or has none
 * MeshClient mesh = MeshClient.builder().discovery(discovery).service("orders", s -> {}).build();
 * }</pre>
 *
 * <p>A source that does not know a service ({@code watch} throws {@link IllegalArgumentException})
 * is left out for that service; if none knows it, {@code watch} throws. Closing the composite
 * closes its sources. Thread-safe; updates of one service reach its listener one at a time, in
 * order.
 */
public final class CompositeDiscovery implements ServiceDiscovery {
  private static final Logger log = LoggerFactory.getLogger(CompositeDiscovery.class);

  private final List<ServiceDiscovery> sources;
  private final boolean merged;

  private CompositeDiscovery(List<ServiceDiscovery> sources, boolean merged) {
    this.sources = List.copyOf(requireNonNull(sources, "sources"));
    if (this.sources.isEmpty()) {
      throw new MeshConfigException("discovery.sources", this.sources, "at least one source");
    }
    this.merged = merged;
  }

  /** The first source (in this order) that has endpoints and is not failing wins. */
  public static CompositeDiscovery priority(ServiceDiscovery... sources) {
    return new CompositeDiscovery(List.of(sources), false);
  }

  /** The first source (in this order) that has endpoints and is not failing wins. */
  public static CompositeDiscovery priority(List<ServiceDiscovery> sources) {
    return new CompositeDiscovery(sources, false);
  }

  /** The union of every source's endpoints, by endpoint id. */
  public static CompositeDiscovery merged(ServiceDiscovery... sources) {
    return new CompositeDiscovery(List.of(sources), true);
  }

  /** The union of every source's endpoints, by endpoint id. */
  public static CompositeDiscovery merged(List<ServiceDiscovery> sources) {
    return new CompositeDiscovery(sources, true);
  }

  @Override
  public Subscription watch(String service, Listener listener) {
    Watch watch = new Watch(requireNonNull(service, "service"), requireNonNull(listener, "listener"));
    List<Subscription> subscriptions = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      int index = i;
      try {
        subscriptions.add(sources.get(i).watch(service, new Listener() {
          @Override
          public void onEndpoints(EndpointSet endpoints) {
            watch.onEndpoints(index, endpoints);
          }

          @Override
          public void onError(Throwable error) {
            watch.onError(index, error);
          }
        }));
      } catch (IllegalArgumentException e) {
        watch.unknown(index);
        unknown.add(e.getMessage());
      }
    }
    if (subscriptions.isEmpty()) {
      throw new IllegalArgumentException("no source of " + this + " knows service '" + service + "': " + unknown);
    }
    return () -> subscriptions.forEach(Subscription::close);
  }

  /** Closes every source. */
  @Override
  public void close() {
    for (ServiceDiscovery source : sources) {
      try {
        source.close();
      } catch (RuntimeException e) {
        log.warn("closing discovery source {} failed", source, e);
      }
    }
  }

  @Override
  public String toString() {
    return (merged ? "merged" : "priority") + sources;
  }

  /** One watched service: the latest answer of each source, and what was pushed downstream. */
  private final class Watch {
    private final String service;
    private final Listener downstream;
    private final @Nullable EndpointSet[] sets = new EndpointSet[sources.size()];
    private final boolean[] failing = new boolean[sources.size()];
    private final boolean[] known = new boolean[sources.size()];
    private @Nullable EndpointSet pushed;
    private boolean reportedFailing;
    private int chosen = -1;

    Watch(String service, Listener downstream) {
      this.service = service;
      this.downstream = downstream;
      java.util.Arrays.fill(known, true);
    }

    synchronized void unknown(int index) {
      known[index] = false;
    }

    synchronized void onEndpoints(int index, EndpointSet endpoints) {
      if (failing[index]) {
        log.info("discovery source {} of service '{}' recovered", sources.get(index), service);
      }
      sets[index] = endpoints;
      failing[index] = false;
      update(null);
    }

    synchronized void onError(int index, Throwable error) {
      if (!failing[index]) {
        log.warn("discovery source {} of service '{}' failed; {}", sources.get(index), service,
            merged ? "its last known endpoints stay in the union" : "falling back to the next source with endpoints", error);
      }
      failing[index] = true;
      update(error);
    }

    private void update(@Nullable Throwable error) {
      if (merged) {
        updateMerged(error);
      } else {
        updatePriority(error);
      }
    }

    private void updatePriority(@Nullable Throwable error) {
      boolean anyFailing = false;
      boolean anyAnswered = false;
      for (int i = 0; i < sets.length; i++) {
        if (!known[i]) {
          continue;
        }
        EndpointSet set = sets[i];
        anyFailing |= failing[i];
        if (set != null && !failing[i]) {
          anyAnswered = true;
          if (!set.isEmpty()) {
            choose(i);
            push(set);
            return;
          }
        }
      }
      if (anyFailing) {
        fail(error);
      } else if (anyAnswered) {
        choose(-1);
        push(EndpointSet.empty());
      }
    }

    private void updateMerged(@Nullable Throwable error) {
      Map<String, Endpoint> union = new LinkedHashMap<>();
      boolean anyHealthy = false;
      boolean anyAnswered = false;
      for (int i = 0; i < sets.length; i++) {
        EndpointSet set = sets[i];
        anyHealthy |= known[i] && !failing[i];
        if (known[i] && set != null) {
          anyAnswered = true;
          for (Endpoint endpoint : set.endpoints()) {
            union.putIfAbsent(endpoint.id(), endpoint);
          }
        }
      }
      if (!anyHealthy) {
        fail(error);
      } else if (anyAnswered) {
        push(EndpointSet.of(new ArrayList<>(union.values())));
      }
    }

    private void choose(int index) {
      if (index != chosen && index >= 0) {
        log.info("service '{}' takes its endpoints from {}", service, sources.get(index));
      }
      chosen = index;
    }

    private void push(EndpointSet set) {
      if (set.equals(pushed) && !reportedFailing) {
        return;
      }
      pushed = set;
      reportedFailing = false;
      downstream.onEndpoints(set);
    }

    private void fail(@Nullable Throwable error) {
      if (error == null) {
        return; // a source recovered but still has nothing to offer; the earlier failure stands
      }
      reportedFailing = true;
      downstream.onError(error);
    }
  }
}
