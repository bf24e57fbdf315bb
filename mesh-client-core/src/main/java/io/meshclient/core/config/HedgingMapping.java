package io.meshclient.core.config;

import io.meshclient.api.HedgingPolicy;
import io.meshclient.api.MeshConfigException;
import java.util.Map;

/**
 * {@code hedging}: the fields of {@link HedgingPolicy}. A fixed {@code delay} and a
 * {@code delayPercentile} exclude each other; setting either turns hedging on unless
 * {@code enabled: false} says otherwise.
 */
final class HedgingMapping {
  static final Fields<HedgingPolicy.Builder> FIELDS = new Fields<HedgingPolicy.Builder>()
      .duration("delay", HedgingPolicy.Builder::delay)
      .decimal("delayPercentile", HedgingPolicy.Builder::delayPercentile)
      .duration("minDelay", HedgingPolicy.Builder::minDelay)
      .integer("maxHedges", HedgingPolicy.Builder::maxHedges)
      .bool("enabled", HedgingPolicy.Builder::enabled);

  private HedgingMapping() {}

  static HedgingPolicy read(Node node, HedgingPolicy base) {
    Map<String, Node> fields = node.fields();
    if (fields.containsKey("delay") && fields.containsKey("delayPercentile")) {
      throw new MeshConfigException(node.childPath("delayPercentile"), Node.shown(fields.get("delayPercentile").json),
          "either delay or delayPercentile, not both");
    }
    HedgingPolicy.Builder builder = base.toBuilder();
    FIELDS.apply(node, builder);
    if (fields.containsKey("enabled")) {
      builder.enabled(fields.get("enabled").bool()); // wins over the delay turning hedging on
    }
    try {
      return builder.build();
    } catch (MeshConfigException e) {
      throw Fields.moved(e, node.path);
    }
  }
}
