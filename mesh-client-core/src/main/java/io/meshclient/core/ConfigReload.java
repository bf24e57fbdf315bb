package io.meshclient.core;

import io.meshclient.api.Endpoint;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServicePolicy;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.config.ReloadResult;
import io.meshclient.core.config.ServiceConfig;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.RequestKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a new configuration to a running mesh. The whole new configuration is checked first;
 * if any of it is invalid nothing changes. Then, per service, a new policy is swapped in at once
 * (calls in flight finish on the old one) and new fixed endpoints are pushed like a discovery
 * update; a service whose health checks or outlier detection interval changed has them restarted.
 * What a running mesh cannot take is refused and logged, and stays as it was: services added or
 * removed, a different discovery source or peer identity, and every mesh-wide setting (discovery,
 * zone, TLS, egress, redaction, initial discovery timeout).
 */
final class ConfigReload {
  private static final Logger log = LoggerFactory.getLogger(MeshClient.class);

  private final Map<String, Cluster> clusters;
  private final Map<String, LoadBalancerFactory> factories;
  private final StaticDiscovery builtIn;
  private final Set<String> fixedInCode;
  private volatile MeshConfig current;

  ConfigReload(MeshConfig current, Map<String, Cluster> clusters, Map<String, LoadBalancerFactory> factories,
      StaticDiscovery builtIn, Set<String> fixedInCode) {
    this.current = current;
    this.clusters = Map.copyOf(clusters);
    this.factories = Map.copyOf(factories);
    this.builtIn = builtIn;
    this.fixedInCode = Set.copyOf(fixedInCode);
  }

  MeshConfig current() {
    return current;
  }

  /**
   * Applies {@code next}.
   *
   * @param restartHealth restarts a service's health checks and outlier intervals from its policy
   */
  synchronized ReloadResult apply(MeshConfig next, java.util.function.Consumer<Cluster> restartHealth) {
    MeshConfig old = current;
    List<String> applied = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    List<Runnable> changes = new ArrayList<>();
    checkBalancer(next.defaults().loadBalancer(), "defaults.loadBalancer");
    MeshConfig.Builder inForce = old.toBuilder().defaults(next.defaults());
    refuseMeshWide(old, next, refused);
    for (String name : next.services().keySet()) {
      if (!old.services().containsKey(name)) {
        refused.add("services." + name + ": a service added to a running mesh needs a restart");
      }
    }
    for (Map.Entry<String, ServiceConfig> entry : old.services().entrySet()) {
      String name = entry.getKey();
      ServiceConfig was = entry.getValue();
      ServiceConfig now = next.services().get(name);
      if (now == null) {
        refused.add("services." + name + ": a service removed from a running mesh needs a restart; it stays");
      } else if (!now.equals(was)) {
        if (fixedInCode.contains(name)) {
          refused.add("services." + name + ": its balancer, hash key or discovery was set in code; reloads leave it alone");
        } else {
          inForce.service(name, plan(name, was, now, applied, refused, changes, restartHealth));
        }
      }
    }
    changes.forEach(Runnable::run); // everything was checked: no change below can fail half way
    MeshConfig result = inForce.build();
    current = result;
    for (String line : refused) {
      log.warn("configuration reload: refused {}", line);
    }
    if (!applied.isEmpty()) {
      log.info("configuration reload: applied {}", applied);
    }
    return new ReloadResult(applied, refused, result);
  }

  /** Checks one service's change and plans what can be applied; returns the service as it will be. */
  private ServiceConfig plan(String name, ServiceConfig was, ServiceConfig now, List<String> applied,
      List<String> refused, List<Runnable> changes, java.util.function.Consumer<Cluster> restartHealth) {
    String path = "services." + name;
    ServiceConfig.Builder result = was.toBuilder();
    boolean sameSource = Objects.equals(was.discovery(), now.discovery())
        && (was.endpoints() == null) == (now.endpoints() == null);
    if (!sameSource) {
      refused.add(path + ".discovery: a different endpoint source needs a restart");
    } else if (now.endpoints() != null && !now.endpoints().equals(was.endpoints())) {
      List<Endpoint> endpoints = checkEndpoints(now.endpoints(), path);
      changes.add(() -> builtIn.update(name, endpoints));
      result.endpoints(endpoints);
      applied.add(path + ".endpoints");
    }
    if (!Objects.equals(was.peerIdentity(), now.peerIdentity())) {
      refused.add(path + ".peerIdentity: a different peer identity needs a restart");
    }
    ServicePolicy policy = now.policy();
    ServicePolicy before = was.policy();
    boolean rescheduled = !policy.healthCheck().equals(before.healthCheck())
        || policy.outlierDetection().enabled() != before.outlierDetection().enabled()
        || !policy.outlierDetection().interval().equals(before.outlierDetection().interval());
    if (!policy.equals(before)) {
      Cluster cluster = clusters.get(name);
      LoadBalancerFactory factory = checkBalancer(policy.loadBalancer(), path + ".loadBalancer");
      io.meshclient.core.internal.RouteTable.checkDestinations(name, policy, clusters.keySet());
      boolean sameBalancer = policy.loadBalancer().equals(before.loadBalancer())
          && policy.loadBalancing().equals(before.loadBalancing());
      LoadBalancer balancer = sameBalancer ? cluster.loadBalancer() : factory.create(name, policy.loadBalancing());
      RequestKey key = sameBalancer ? cluster.requestKey() : RequestKey.of(policy.loadBalancing().hashKey(), null);
      ServicePolicy swapped = policy;
      changes.add(() -> cluster.swap(swapped, balancer, key));
      if (rescheduled) {
        changes.add(() -> restartHealth.accept(cluster));
      }
      applied.add(path + ": policy");
    }
    return result.policy(policy).build();
  }

  private LoadBalancerFactory checkBalancer(String name, String path) {
    LoadBalancerFactory factory = factories.get(name);
    if (factory == null) {
      throw new MeshConfigException(path, name, "one of " + factories.keySet());
    }
    return factory;
  }

  /**
   * Checks a service's fixed endpoints as the builder and a reload both need them: at least one,
   * each with a host a URL can hold, no two with the same id.
   *
   * @throws MeshConfigException under {@code path}
   */
  static List<Endpoint> checkEndpoints(List<Endpoint> endpoints, String path) {
    if (endpoints.isEmpty()) {
      throw new MeshConfigException(path + ".endpoints", endpoints, "at least one endpoint");
    }
    for (int i = 0; i < endpoints.size(); i++) {
      try {
        EndpointState.baseUrl(endpoints.get(i));
      } catch (IllegalArgumentException e) {
        throw new MeshConfigException(path + ".endpoints[" + i + "].host", endpoints.get(i).host(),
            "a host name or IP address an HTTP URL can hold");
      }
    }
    try {
      io.meshclient.api.EndpointSet.of(endpoints); // the update below must not fail on duplicate ids
    } catch (MeshConfigException e) {
      throw e.withParent(path);
    }
    return endpoints;
  }

  private static void refuseMeshWide(MeshConfig old, MeshConfig next, List<String> refused) {
    refuseIfChanged("discovery", old.discovery(), next.discovery(), refused);
    refuseIfChanged("initialDiscoveryTimeout", old.initialDiscoveryTimeout(), next.initialDiscoveryTimeout(), refused);
    refuseIfChanged("zone", old.zone(), next.zone(), refused);
    refuseIfChanged("tls", old.tls(), next.tls(), refused);
    refuseIfChanged("egress", old.egress(), next.egress(), refused);
    refuseIfChanged("redaction", old.redaction(), next.redaction(), refused);
  }

  private static void refuseIfChanged(String field, Object was, Object now, List<String> refused) {
    if (!Objects.equals(was, now)) {
      refused.add(field + ": mesh-wide settings take effect on restart");
    }
  }
}
