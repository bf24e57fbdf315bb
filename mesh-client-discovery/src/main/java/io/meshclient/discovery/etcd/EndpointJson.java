package io.meshclient.discovery.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON value an endpoint is stored as in etcd, both ways:
 * {@code {"host":"10.0.0.7","port":8080,"secure":false,"zone":"eu-west-1a","weight":2,"labels":{"version":"v2"}}}.
 * {@code host} and {@code port} are required; the rest take the {@link Endpoint} defaults; fields
 * it does not know are ignored, so writers may add their own.
 */
final class EndpointJson {
  static final String EXAMPLE = "{\"host\":\"10.0.0.7\",\"port\":8080}";
  private static final int SHOWN = 200;

  private final ObjectMapper json;

  EndpointJson(ObjectMapper json) {
    this.json = json;
  }

  /**
   * The endpoint stored under {@code key}, whose id is {@code id}.
   *
   * @throws MeshConfigException naming the key and field that are wrong
   */
  Endpoint read(String key, String id, byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MeshConfigException(key, shown(text), "a JSON object such as " + EXAMPLE + " ("
          + problem(e) + " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")");
    }
    if (node == null || !node.isObject()) {
      throw new MeshConfigException(key, shown(text), "a JSON object such as " + EXAMPLE);
    }
    JsonNode host = node.get("host");
    if (host == null || !host.isTextual()) {
      throw new MeshConfigException(key + ".host", value(host), "a host name or IP address");
    }
    JsonNode port = node.get("port");
    if (port == null || !port.canConvertToInt() || !port.isIntegralNumber()) {
      throw new MeshConfigException(key + ".port", value(port), "a whole number 1..65535");
    }
    Endpoint.Builder endpoint = Endpoint.builder(host.asText(), port.asInt()).id(id);
    JsonNode secure = node.get("secure");
    if (secure != null && !secure.isNull()) {
      if (!secure.isBoolean()) {
        throw new MeshConfigException(key + ".secure", value(secure), "true or false");
      }
      endpoint.secure(secure.asBoolean());
    }
    JsonNode zone = node.get("zone");
    if (zone != null && !zone.isNull()) {
      if (!zone.isTextual()) {
        throw new MeshConfigException(key + ".zone", value(zone), "a zone name");
      }
      endpoint.zone(zone.asText());
    }
    JsonNode weight = node.get("weight");
    if (weight != null && !weight.isNull()) {
      if (!weight.isIntegralNumber() || !weight.canConvertToInt()) {
        throw new MeshConfigException(key + ".weight", value(weight), "a whole number 1.." + Endpoint.MAX_WEIGHT);
      }
      endpoint.weight(weight.asInt());
    }
    JsonNode labels = node.get("labels");
    if (labels != null && !labels.isNull()) {
      if (!labels.isObject()) {
        throw new MeshConfigException(key + ".labels", value(labels), "an object of string values");
      }
      for (Map.Entry<String, JsonNode> label : labels.properties()) {
        if (!label.getValue().isTextual()) {
          throw new MeshConfigException(key + ".labels." + label.getKey(), value(label.getValue()), "a string");
        }
        endpoint.label(label.getKey(), label.getValue().asText());
      }
    }
    try {
      return endpoint.build();
    } catch (MeshConfigException e) {
      // The builder names its own fields (endpoint.port); the reader knows them by key.
      String field = e.path().startsWith("endpoint.") ? e.path().substring("endpoint.".length()) : e.path();
      throw new MeshConfigException(key + "." + field, e.value(), e.expected());
    }
  }

  /** The JSON value for {@code endpoint}; its id goes in the key, not here. */
  String write(Endpoint endpoint) {
    ObjectNode node = json.createObjectNode().put("host", endpoint.host()).put("port", endpoint.port());
    if (endpoint.secure()) {
      node.put("secure", true);
    }
    if (endpoint.zone() != null) {
      node.put("zone", endpoint.zone());
    }
    if (endpoint.weight() != Endpoint.DEFAULT_WEIGHT) {
      node.put("weight", endpoint.weight());
    }
    if (!endpoint.labels().isEmpty()) {
      ObjectNode labels = node.putObject("labels");
      new java.util.TreeMap<>(endpoint.labels()).forEach(labels::put);
    }
    return node.toString();
  }

  /** Jackson's description of a syntax error, without the location it repeats. */
  private static String problem(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int cut = message.indexOf(" (start marker");
    cut = cut < 0 ? message.indexOf('\n') : cut;
    return cut < 0 ? message : message.substring(0, cut);
  }

  /** A JSON value as the error shows it: strings and numbers as themselves, the rest as JSON. */
  private static @Nullable Object value(@Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    return node.isBoolean() ? node.booleanValue() : node.toString();
  }

  private static String shown(String text) {
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
  }
}
