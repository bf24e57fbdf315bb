package io.meshclient.core.config;

import io.meshclient.api.HashKey;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.MeshConfigException;
import java.util.Map;

/** {@code loadBalancing}: the fields of {@link LoadBalancingPolicy}, with {@code hashKey} as a one-field object. */
final class LoadBalancingMapping {
  static final Fields<LoadBalancingPolicy.Builder> FIELDS = new Fields<LoadBalancingPolicy.Builder>()
      .bool("zoneAware", LoadBalancingPolicy.Builder::zoneAware)
      .integer("panicThresholdPercent", LoadBalancingPolicy.Builder::panicThresholdPercent)
      .duration("slowStartWindow", LoadBalancingPolicy.Builder::slowStartWindow)
      .integer("slowStartMinWeightPercent", LoadBalancingPolicy.Builder::slowStartMinWeightPercent)
      .duration("overloadPenalty", LoadBalancingPolicy.Builder::overloadPenalty)
      .duration("maxOverloadPenalty", LoadBalancingPolicy.Builder::maxOverloadPenalty)
      .duration("ewmaDecay", LoadBalancingPolicy.Builder::ewmaDecay)
      .field("hashKey", (b, v) -> b.hashKey(hashKey(v)))
      .integer("minimumRingSize", LoadBalancingPolicy.Builder::minimumRingSize)
      .integer("maglevTableSize", LoadBalancingPolicy.Builder::maglevTableSize);

  private static final String HASH_KEY = "one of header: <name>, cookie: <name>, queryParameter: <name> or path: true";

  private LoadBalancingMapping() {}

  static LoadBalancingPolicy read(Node node, LoadBalancingPolicy base) {
    return FIELDS.read(node, base.toBuilder(), LoadBalancingPolicy.Builder::build);
  }

  private static HashKey hashKey(Node node) {
    Map<String, Node> fields = node.fields();
    if (fields.size() != 1) {
      throw node.bad(HASH_KEY);
    }
    Map.Entry<String, Node> only = fields.entrySet().iterator().next();
    Node value = only.getValue();
    try {
      return hashKey(only.getKey(), value);
    } catch (MeshConfigException e) {
      if (e.path().startsWith(value.path)) {
        throw e;
      }
      MeshConfigException at = new MeshConfigException(value.path, e.value(), e.expected());
      at.initCause(e);
      throw at;
    }
  }

  private static HashKey hashKey(String source, Node value) {
    switch (source) {
      case "header": return HashKey.header(value.text());
      case "cookie": return HashKey.cookie(value.text());
      case "queryParameter": return HashKey.queryParameter(value.text());
      case "path":
        if (!value.bool()) {
          throw value.bad("true (leave hashKey out for no key)");
        }
        return HashKey.path();
      default:
        throw new MeshConfigException(value.path, Node.shown(value.json), HASH_KEY);
    }
  }
}
