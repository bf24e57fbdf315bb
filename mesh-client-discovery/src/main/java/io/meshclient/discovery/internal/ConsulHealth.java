package io.meshclient.discovery.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads Consul's {@code /v1/health/service/<name>} answer into endpoints:
 *
 * <ul>
 *   <li>host: {@code Service.Address}, or {@code Node.Address} when the service has none;
 *       port: {@code Service.Port}; id: {@code <Node.Node>/<Service.ID>};
 *   <li>labels: {@code Service.Meta} as they are, then each tag: {@code key=value} tags as that
 *       label, other tags as a label with an empty value (meta wins on a clash);
 *   <li>zone: the {@code zone} meta of the service, else of the node; weight:
 *       {@code Service.Weights.Passing}; TLS: {@code secure}, or the service meta
 *       {@code secure=true};
 *   <li>healthy: no check of the entry is {@code critical}.
 * </ul>
 *
 * A response that does not have this shape is rejected whole, naming the entry and field.
 *
 * <p>Stateless; thread-safe.
 */
public final class ConsulHealth {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConsulHealth() {}

  /**
   * Parses {@code body}.
   *
   * @throws IOException naming what is malformed
   */
  public static EndpointSet parse(String body, boolean secure) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IOException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new IOException("(root): " + kind(root) + " (expected: a list of health entries)");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      endpoints.add(entry(root.get(i), "[" + i + "]", secure));
    }
    try {
      return EndpointSet.of(endpoints);
    } catch (MeshConfigException e) {
      throw new IOException(e.getMessage());
    }
  }

  private static Endpoint entry(JsonNode entry, String at, boolean secure) throws IOException {
    JsonNode node = object(entry.get("Node"), at + ".Node");
    JsonNode service = object(entry.get("Service"), at + ".Service");
    JsonNode portNode = service.get("Port");
    if (portNode == null || !portNode.isInt() || portNode.asInt() < 1 || portNode.asInt() > 65535) {
      throw new IOException(at + ".Service.Port: " + portNode + " (expected: 1..65535)");
    }
    String host = text(service, "Address");
    if (host.isEmpty()) {
      host = text(node, "Address");
    }
    if (host.isEmpty()) {
      throw new IOException(at + ".Service.Address and " + at + ".Node.Address: empty (expected: an address)");
    }
    Map<String, String> labels = new TreeMap<>(strings(service.get("Meta"), at + ".Service.Meta"));
    JsonNode tags = service.get("Tags");
    if (tags != null && !tags.isNull()) {
      if (!tags.isArray()) {
        throw new IOException(at + ".Service.Tags: " + kind(tags) + " (expected: a list of strings)");
      }
      for (JsonNode tag : tags) {
        String t = tag.asText();
        int eq = t.indexOf('=');
        labels.putIfAbsent(eq > 0 ? t.substring(0, eq) : t, eq > 0 ? t.substring(eq + 1) : "");
      }
    }
    Endpoint.Builder b = Endpoint.builder(host, portNode.asInt()).labels(labels)
        .secure(secure || "true".equals(labels.get("secure")))
        .healthy(healthy(entry.get("Checks")));
    String zone = labels.getOrDefault("zone", strings(node.get("Meta"), at + ".Node.Meta").get("zone"));
    if (zone != null && !zone.isBlank()) {
      b.zone(zone);
    }
    JsonNode weights = service.get("Weights");
    if (weights != null && weights.hasNonNull("Passing")) {
      b.weight((int) Math.max(1, Math.min(Endpoint.MAX_WEIGHT, weights.get("Passing").asLong(1))));
    }
    String serviceId = text(service, "ID");
    if (!serviceId.isEmpty()) {
      String nodeName = text(node, "Node");
      b.id(nodeName.isEmpty() ? serviceId : nodeName + "/" + serviceId);
    }
    try {
      return b.build();
    } catch (MeshConfigException e) {
      throw new IOException(at + ": " + e.getMessage());
    }
  }

  private static boolean healthy(JsonNode checks) {
    if (checks == null || !checks.isArray()) {
      return true;
    }
    for (JsonNode check : checks) {
      if ("critical".equals(check.path("Status").asText())) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode object(JsonNode node, String at) throws IOException {
    if (node == null || !node.isObject()) {
      throw new IOException(at + ": " + kind(node) + " (expected: an object)");
    }
    return node;
  }

  private static String text(JsonNode parent, String field) {
    JsonNode value = parent.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }

  private static Map<String, String> strings(JsonNode node, String at) throws IOException {
    Map<String, String> values = new TreeMap<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isObject()) {
      throw new IOException(at + ": " + kind(node) + " (expected: an object of strings)");
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      values.put(field.getKey(), field.getValue().asText());
    }
    return values;
  }

  private static String kind(JsonNode node) {
    if (node == null || node.isNull()) {
      return "null";
    }
    return node.isArray() ? "a list" : node.isObject() ? "an object" : node.toString();
  }
}
