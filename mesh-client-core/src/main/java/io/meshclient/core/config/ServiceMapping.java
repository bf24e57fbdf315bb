package io.meshclient.core.config;

import io.meshclient.api.Endpoint;
import io.meshclient.api.ServicePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code services.<name>}: every policy field of {@link ServicePolicyMapping} (read over the
 * defaults), plus where the endpoints come from and the peer identity.
 */
final class ServiceMapping {
  /** A service being read: its policy, and the rest of its settings. */
  static final class Target {
    final ServicePolicyMapping.Target policy;
    final ServiceConfig.Builder service = ServiceConfig.builder();

    Target(ServicePolicy defaults) {
      this.policy = new ServicePolicyMapping.Target(defaults);
    }
  }

  static final Fields<Target> FIELDS = new Fields<Target>()
      .include(ServicePolicyMapping.FIELDS, t -> t.policy)
      .field("endpoints", (t, v) -> t.service.endpoints(endpoints(v)))
      .text("discovery", (t, v) -> t.service.discovery(v))
      .field("peerIdentity", (t, v) -> t.service.peerIdentity(PeerIdentityMapping.read(v)));

  private ServiceMapping() {}

  static ServiceConfig read(Node node, ServicePolicy defaults) {
    Target target = new Target(defaults);
    FIELDS.apply(node, target);
    return target.service.policy(ServicePolicyMapping.build(target.policy, node.path)).build();
  }

  private static List<Endpoint> endpoints(Node list) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Node item : list.list()) {
      endpoints.add(EndpointMapping.read(item));
    }
    return endpoints;
  }
}
