package io.meshclient.spring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.meshclient.api.MeshConfigException;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.config.MeshConfigFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns bound {@link MeshProperties} into the configuration model through the same reader as a
 * configuration file, so both check the same way; errors name the property in Spring's form
 * ({@code mesh.services.orders.retry.max-attempts}).
 */
final class MeshPropertiesReader {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
      .registerModule(new SimpleModule().addSerializer(Duration.class, ToStringSerializer.instance));
  private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

  private MeshPropertiesReader() {}

  static MeshConfig read(MeshProperties properties) {
    ObjectNode tree = MAPPER.valueToTree(properties);
    tree.remove(List.of("enabled", "health")); // Spring-side settings, not the mesh's
    prune(tree, true);
    try {
      return MeshConfigFile.read(tree, "mesh");
    } catch (MeshConfigException e) {
      MeshConfigException named = new MeshConfigException(kebab(e.path()), e.value(), e.expected());
      named.initCause(e);
      throw named;
    }
  }

  /** Drops objects left empty (nested property groups nothing was set in), except services themselves. */
  private static void prune(JsonNode node, boolean root) {
    List<String> empty = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isObject()) {
        boolean services = root && field.getKey().equals("services");
        if (services) {
          value.forEach(service -> prune(service, false));
        } else {
          prune(value, false);
          if (value.isEmpty()) {
            empty.add(field.getKey());
          }
        }
      } else if (value.isArray()) {
        value.forEach(item -> prune(item, false));
      }
    }
    if (node instanceof ObjectNode) {
      ((ObjectNode) node).remove(empty);
    }
  }

  /** {@code mesh.services.orders.retry.maxAttempts} as Spring writes it: {@code ...retry.max-attempts}. */
  static String kebab(String path) {
    Matcher m = CAMEL.matcher(path);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, m.group(1) + "-" + m.group(2).toLowerCase(Locale.ROOT));
    }
    m.appendTail(out);
    return out.toString();
  }
}
