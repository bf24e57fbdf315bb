package io.meshclient.discovery.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads an endpoints file (YAML or JSON, the same shape) into a set per service, strictly: any
 * unknown field, wrong type or invalid value fails the whole file with its line, so a half-edited
 * file never replaces a good one.
 *
 * <pre>
 * services:
 *   orders:
 *     endpoints:
 *       - host: 10.0.0.7
 *         port: 8080
 *         zone: eu-west-1a     # optional
 *         weight: 2            # optional, 1 by default
 *         healthy: true        # optional, true by default
 *         secure: false        # optional: true calls it over HTTPS
 *         id: orders-a         # optional, host:port by default
 *         labels: {version: v2}
 * </pre>
 *
 * <p>Stateless; thread-safe.
 */
public final class EndpointsFile {
  private static final String ENDPOINT_FIELDS = "one of [host, port, id, zone, weight, healthy, secure, labels]";

  private EndpointsFile() {}

  /**
   * Parses {@code content}.
   *
   * @param factory a JSON or YAML parser factory
   * @param name how the file is named in errors
   * @throws Invalid naming the file, the line, the field path, the value and what was expected
   */
  public static Map<String, EndpointSet> parse(byte[] content, JsonFactory factory, String name) throws Invalid {
    try (JsonParser p = factory.createParser(content)) {
      JsonToken root = p.nextToken();
      if (root == null) {
        throw new Invalid(name, 1, "the file is empty (expected: a map with a 'services' entry)");
      }
      expect(p, JsonToken.START_OBJECT, name, "(root)", "a map with a 'services' entry");
      Map<String, EndpointSet> services = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("services")) {
          throw invalid(p, name, field, shown(p), "only 'services' at the top level");
        }
        services = services(p, name);
      }
      if (services == null) {
        throw new Invalid(name, line(p), "services: missing (expected: a map of service names to their endpoints)");
      }
      return Collections.unmodifiableMap(services);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new Invalid(name, line, "not valid " + factory.getFormatName() + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Invalid(name, 0, "unreadable: " + e);
    }
  }

  private static Map<String, EndpointSet> services(JsonParser p, String name) throws IOException, Invalid {
    expect(p, JsonToken.START_OBJECT, name, "services", "a map of service names to their endpoints");
    Map<String, EndpointSet> services = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String service = p.currentName();
      String path = "services." + service;
      p.nextToken();
      expect(p, JsonToken.START_OBJECT, name, path, "a map with an 'endpoints' list");
      EndpointSet endpoints = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("endpoints")) {
          throw invalid(p, name, path + "." + field, shown(p), "only 'endpoints' under a service");
        }
        endpoints = endpoints(p, name, path + ".endpoints");
      }
      if (endpoints == null) {
        throw invalid(p, name, path + ".endpoints", null, "a list of endpoints (empty if there are none)");
      }
      services.put(service, endpoints);
    }
    return services;
  }

  private static EndpointSet endpoints(JsonParser p, String name, String path) throws IOException, Invalid {
    expect(p, JsonToken.START_ARRAY, name, path, "a list of endpoints");
    List<Endpoint> endpoints = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      lines.add(line(p));
      endpoints.add(endpoint(p, name, path + "[" + endpoints.size() + "]"));
    }
    try {
      return EndpointSet.of(endpoints);
    } catch (MeshConfigException e) { // a shared id: endpoints[i].id
      int index = Integer.parseInt(e.path().substring(e.path().indexOf('[') + 1, e.path().indexOf(']')));
      throw new Invalid(name, lines.get(index), path + e.path().substring("endpoints".length()) + ": \"" + e.value()
          + "\" (expected: " + e.expected() + ")");
    }
  }

  private static Endpoint endpoint(JsonParser p, String name, String path) throws IOException, Invalid {
    expect(p, JsonToken.START_OBJECT, name, path, "an endpoint: a map with host and port");
    int start = line(p);
    Map<String, Integer> lines = new HashMap<>();
    String host = null;
    Integer port = null;
    Map<String, Object> given = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      lines.put(field, line(p));
      String at = path + "." + field;
      switch (field) {
        case "host":
          host = text(p, name, at, "a host name or IP address");
          break;
        case "port":
          port = integer(p, name, at, "1..65535");
          break;
        case "weight":
          given.put(field, integer(p, name, at, "1.." + Endpoint.MAX_WEIGHT));
          break;
        case "id":
        case "zone":
          given.put(field, text(p, name, at, "a non-blank " + field));
          break;
        case "secure":
        case "healthy":
          given.put(field, bool(p, name, at));
          break;
        case "labels":
          given.put(field, labels(p, name, at));
          break;
        default:
          throw invalid(p, name, at, shown(p), ENDPOINT_FIELDS);
      }
    }
    if (host == null || port == null) {
      throw new Invalid(name, start, path + "." + (host == null ? "host" : "port") + ": missing (expected: "
          + (host == null ? "a host name or IP address" : "1..65535") + ")");
    }
    Endpoint.Builder b = Endpoint.builder(host, port);
    applyOptional(b, given);
    try {
      return b.build();
    } catch (MeshConfigException e) { // endpoint.<field>
      String field = e.path().substring(e.path().indexOf('.') + 1);
      throw new Invalid(name, lines.getOrDefault(field, start), path + "." + field + ": "
          + (e.value() instanceof String ? "\"" + e.value() + "\"" : String.valueOf(e.value()))
          + " (expected: " + e.expected() + ")");
    }
  }

  @SuppressWarnings("unchecked")
  private static void applyOptional(Endpoint.Builder b, Map<String, Object> given) {
    given.forEach((field, value) -> {
      switch (field) {
        case "id":
          b.id((String) value);
          break;
        case "zone":
          b.zone((String) value);
          break;
        case "weight":
          b.weight((Integer) value);
          break;
        case "secure":
          b.secure((Boolean) value);
          break;
        case "healthy":
          b.healthy((Boolean) value);
          break;
        default:
          b.labels((Map<String, String>) value);
      }
    });
  }

  private static Map<String, String> labels(JsonParser p, String name, String path) throws IOException, Invalid {
    expect(p, JsonToken.START_OBJECT, name, path, "a map of label names to values");
    Map<String, String> labels = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      if (!p.currentToken().isScalarValue() || p.currentToken() == JsonToken.VALUE_NULL) {
        throw invalid(p, name, path + "." + key, shown(p), "a text value");
      }
      labels.put(key, p.getText());
    }
    return labels;
  }

  private static String text(JsonParser p, String name, String path, String expected) throws IOException, Invalid {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw invalid(p, name, path, shown(p), expected);
    }
    return p.getText();
  }

  private static int integer(JsonParser p, String name, String path, String expected) throws IOException, Invalid {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || !p.getNumberValue().equals(p.getNumberValue().intValue())) {
      throw invalid(p, name, path, shown(p), expected);
    }
    return p.getIntValue();
  }

  private static boolean bool(JsonParser p, String name, String path) throws IOException, Invalid {
    if (p.currentToken() != JsonToken.VALUE_TRUE && p.currentToken() != JsonToken.VALUE_FALSE) {
      throw invalid(p, name, path, shown(p), "true or false");
    }
    return p.getBooleanValue();
  }

  private static void expect(JsonParser p, JsonToken token, String name, String path, String expected) throws IOException, Invalid {
    if (p.currentToken() != token) {
      throw invalid(p, name, path, shown(p), expected);
    }
  }

  /** The current value as the error shows it: scalars quoted as given, structures by kind. */
  private static @Nullable Object shown(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null || t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.START_OBJECT) {
      return "a map";
    }
    if (t == JsonToken.START_ARRAY) {
      return "a list";
    }
    return t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
  }

  private static Invalid invalid(JsonParser p, String name, String path, @Nullable Object value, String expected) {
    return new Invalid(name, line(p), path + ": " + value + " (expected: " + expected + ")");
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** The file could not be used; the message names the file, the line and what is wrong. */
  public static final class Invalid extends Exception {
    private final int line;

    Invalid(String file, int line, String problem) {
      super(file + (line > 0 ? " line " + line : "") + ": " + problem);
      this.line = line;
    }

    /** The 1-based line of the problem, or 0 if unknown. */
    public int line() {
      return line;
    }
  }
}
