package io.meshclient.core.config;

import io.meshclient.api.Endpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One of {@code services.<name>.endpoints}: the fields of {@link Endpoint}; {@code host} and {@code port} are required. */
final class EndpointMapping {
  /** The fields, gathered before the endpoint is built (its builder needs host and port first). */
  static final class Target {
    @Nullable String host;
    int port = -1;
    @Nullable String id;
    @Nullable Boolean secure;
    @Nullable String zone;
    @Nullable Integer weight;
    @Nullable Boolean healthy;
    Map<String, String> labels = new LinkedHashMap<>();
  }

  static final Fields<Target> FIELDS = new Fields<Target>()
      .text("host", (t, v) -> t.host = v)
      .integer("port", (t, v) -> t.port = v)
      .text("id", (t, v) -> t.id = v)
      .bool("secure", (t, v) -> t.secure = v)
      .text("zone", (t, v) -> t.zone = v)
      .integer("weight", (t, v) -> t.weight = v)
      .bool("healthy", (t, v) -> t.healthy = v)
      .field("labels", (t, v) -> v.fields().forEach((key, value) -> t.labels.put(key, value.text())));

  private EndpointMapping() {}

  static Endpoint read(Node node) {
    Target t = new Target();
    FIELDS.apply(node, t);
    if (t.host == null) {
      throw new io.meshclient.api.MeshConfigException(node.childPath("host"), null, "a host name or IP address");
    }
    if (t.port == -1) {
      throw new io.meshclient.api.MeshConfigException(node.childPath("port"), null, "1..65535");
    }
    return FIELDS.read(node, t, target -> {
      Endpoint.Builder b = Endpoint.builder(target.host, target.port).labels(target.labels);
      if (target.id != null) {
        b.id(target.id);
      }
      if (target.secure != null) {
        b.secure(target.secure);
      }
      if (target.zone != null) {
        b.zone(target.zone);
      }
      if (target.weight != null) {
        b.weight(target.weight);
      }
      if (target.healthy != null) {
        b.healthy(target.healthy);
      }
      return b.build();
    });
  }
}
