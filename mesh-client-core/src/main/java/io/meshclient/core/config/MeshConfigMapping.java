package io.meshclient.core.config;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServicePolicy;
import java.util.Map;

/**
 * The root of a configuration: {@code defaults}, {@code services}, and the mesh-wide settings.
 * {@code defaults} is read first wherever it is written, since every service is read over it.
 */
final class MeshConfigMapping {
  /** The configuration being read, and the defaults its services are read over. */
  static final class Target {
    final MeshConfig.Builder config = MeshConfig.builder();
    ServicePolicy defaults = ServicePolicy.ofDefaults();
  }

  static final Fields<Target> FIELDS = new Fields<Target>()
      .field("defaults", (t, v) -> { }) // read before the others, in read()
      // A service written with no body (`orders:`) is a service with every default, as `orders: {}`.
      .field("services", (t, v) -> v.allFields().forEach((name, service) ->
          t.config.service(name, ServiceMapping.read(service.orEmptyObject(), t.defaults))))
      .text("discovery", (t, v) -> t.config.discovery(v))
      .duration("initialDiscoveryTimeout", (t, v) -> t.config.initialDiscoveryTimeout(v))
      .text("zone", (t, v) -> t.config.zone(v))
      .field("tls", (t, v) -> t.config.tls(TlsMapping.read(v)))
      .field("egress", (t, v) -> t.config.egress(EgressMapping.read(v)))
      .field("redaction", (t, v) -> t.config.redaction(RedactionMapping.read(v)));

  private MeshConfigMapping() {}

  static MeshConfig read(Node root) {
    Target target = new Target();
    Map<String, Node> fields = root.fields();
    Node defaults = fields.get("defaults");
    if (defaults != null) {
      target.defaults = ServicePolicyMapping.read(defaults, ServicePolicy.ofDefaults());
      target.config.defaults(target.defaults);
    }
    FIELDS.apply(root, target);
    MeshConfig config = target.config.build();
    if (config.initialDiscoveryTimeout().isNegative()) {
      throw new MeshConfigException(root.childPath("initialDiscoveryTimeout"), config.initialDiscoveryTimeout(), ">= 0s");
    }
    return config;
  }
}
