package io.meshclient.core.config;

import io.meshclient.api.EgressPolicy;
import io.meshclient.api.EgressRule;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code egress}: the default action, the rules in order, and the log interval of {@link EgressPolicy}. */
final class EgressMapping {
  static final Fields<EgressPolicy.Builder> FIELDS = new Fields<EgressPolicy.Builder>()
      .field("defaultAction", (b, v) -> b.defaultAction(v.enumValue(EgressRule.Action.class)))
      .field("rules", (b, v) -> v.list().forEach(rule -> b.rule(rule(rule))))
      .duration("logInterval", EgressPolicy.Builder::logInterval);

  /** One rule's fields, gathered before the rule is built (its action picks the factory). */
  static final class Rule {
    EgressRule.Action action = EgressRule.Action.ALLOW;
    List<String> services = new ArrayList<>();
    @Nullable String name;
    List<String> methods = List.of();
    List<String> paths = List.of();
  }

  static final Fields<Rule> RULE_FIELDS = new Fields<Rule>()
      .text("name", (r, v) -> r.name = v)
      .field("action", (r, v) -> r.action = v.enumValue(EgressRule.Action.class))
      .texts("services", (r, v) -> r.services = v)
      .texts("methods", (r, v) -> r.methods = v)
      .texts("paths", (r, v) -> r.paths = v);

  private EgressMapping() {}

  static EgressPolicy read(Node node) {
    return FIELDS.read(node, EgressPolicy.builder(), EgressPolicy.Builder::build);
  }

  private static EgressRule rule(Node node) {
    return RULE_FIELDS.read(node, new Rule(), r -> {
      String[] services = r.services.toArray(new String[0]);
      EgressRule.Builder b = r.action == EgressRule.Action.ALLOW ? EgressRule.allow(services) : EgressRule.deny(services);
      if (r.name != null) {
        b.name(r.name);
      }
      return b.methods(r.methods.toArray(new String[0])).paths(r.paths.toArray(new String[0])).build();
    });
  }
}
