package io.meshclient.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshclient.api.MeshConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value of a configuration tree with its dotted path ({@code services.orders.retry}): typed
 * reads that fail with {@link MeshConfigException} naming the path, the value and the type
 * expected.
 */
final class Node {
  final JsonNode json;
  final String path;

  Node(JsonNode json, String path) {
    this.json = json;
    this.path = path;
  }

  String childPath(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  MeshConfigException bad(String expected) {
    return new MeshConfigException(path, shown(json), expected);
  }

  static Object shown(JsonNode json) {
    if (json.isTextual()) {
      return json.textValue();
    }
    if (json.isNumber()) {
      return json.numberValue();
    }
    if (json.isBoolean()) {
      return json.booleanValue();
    }
    return json.isNull() ? "null" : json.toString();
  }

  /** The fields of an object, in file order, skipping those set to {@code null} (written but left empty). */
  Map<String, Node> fields() {
    Map<String, Node> fields = new LinkedHashMap<>();
    allFields().forEach((name, value) -> {
      if (!value.json.isNull()) {
        fields.put(name, value);
      }
    });
    return fields;
  }

  /**
   * Every field of an object, in file order, those set to {@code null} included: what a check of
   * the names must see, so that a misspelt name left empty ({@code retyr:}) is not passed over.
   */
  Map<String, Node> allFields() {
    if (!json.isObject()) {
      throw bad("an object (a map of fields)");
    }
    Map<String, Node> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : json.properties()) {
      fields.put(field.getKey(), new Node(field.getValue(), childPath(field.getKey())));
    }
    return fields;
  }

  /** This node, or an empty object at its path when it is {@code null} (a section written with no body). */
  Node orEmptyObject() {
    return json.isNull() ? new Node(JsonNodeFactory.instance.objectNode(), path) : this;
  }

  List<Node> list() {
    if (!json.isArray()) {
      throw bad("a list");
    }
    List<Node> items = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      items.add(new Node(json.get(i), path + "[" + i + "]"));
    }
    return items;
  }

  String text() {
    if (!json.isTextual()) {
      throw bad("a string");
    }
    return json.textValue();
  }

  List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (Node item : list()) {
      texts.add(item.text());
    }
    return texts;
  }

  int integer() {
    if (!json.isIntegralNumber() || !json.canConvertToInt()) {
      throw bad("a whole number");
    }
    return json.intValue();
  }

  List<Integer> integers() {
    List<Integer> values = new ArrayList<>();
    for (Node item : list()) {
      values.add(item.integer());
    }
    return values;
  }

  double decimal() {
    if (!json.isNumber()) {
      throw bad("a number");
    }
    return json.doubleValue();
  }

  boolean bool() {
    if (!json.isBoolean()) {
      throw bad("true or false");
    }
    return json.booleanValue();
  }

  Duration duration() {
    if (json.isIntegralNumber() && json.asLong() == 0) {
      return Duration.ZERO;
    }
    if (!json.isTextual()) {
      throw bad(Durations.EXPECTED);
    }
    return Durations.parse(json.textValue(), path);
  }

  <E extends Enum<E>> E enumValue(Class<E> type) {
    String text = json.isTextual() ? json.textValue().trim() : "";
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
    }
    throw bad("one of " + names);
  }
}
