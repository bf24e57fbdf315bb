package io.meshclient.discovery.internal;

import io.meshclient.api.MeshConfigException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The settings a discovery URI carries in its query ({@code dns:///orders?port=8080&minRefresh=1s}),
 * read one by one with their defaults. Every bad value fails with a {@link MeshConfigException}
 * whose path is {@code discovery.<name>}; a parameter the source does not know fails too, listing
 * the known ones.
 *
 * <p>Not thread-safe; used while a source is created.
 */
public final class UriSettings {
  private final String uri;
  private final Map<String, String> values = new LinkedHashMap<>();

  private UriSettings(URI uri, Set<String> known) {
    this.uri = uri.toString();
    String query = rawQuery(uri);
    if (query == null || query.isEmpty()) {
      return;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (!known.contains(name)) {
        throw new MeshConfigException("discovery." + name, value, "a setting this source knows: one of " + new TreeSet<>(known));
      }
      values.put(name, value);
    }
  }

  /** The settings of {@code uri}; a parameter not in {@code known} is an error. */
  public static UriSettings of(URI uri, Set<String> known) {
    return new UriSettings(uri, known);
  }

  /** The raw query of {@code uri}; for an opaque URI ({@code file:endpoints.yaml?poll=1s}) the part after {@code ?}. */
  public static @Nullable String rawQuery(URI uri) {
    if (!uri.isOpaque()) {
      return uri.getRawQuery();
    }
    String part = uri.getRawSchemeSpecificPart();
    int q = part.indexOf('?');
    return q < 0 ? null : part.substring(q + 1);
  }

  /** The URI the settings came from. */
  public String uri() {
    return uri;
  }

  /** The raw value of {@code name}, or {@code null} if absent. */
  public @Nullable String string(String name) {
    return values.get(name);
  }

  /** The value of {@code name}, or {@code fallback} if absent. */
  public String string(String name, String fallback) {
    String value = values.get(name);
    return value == null ? fallback : value;
  }

  /** A duration such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or {@code PT5S}; {@code fallback} if absent. */
  public Duration duration(String name, Duration fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    Duration parsed = parseDuration(value);
    if (parsed == null || parsed.isNegative()) {
      throw new MeshConfigException("discovery." + name, value, "a duration such as 500ms, 5s, 2m or PT5S");
    }
    return parsed;
  }

  /** A whole number in {@code min..max}; {@code fallback} if absent. */
  public int integer(String name, int fallback, int min, int max) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MeshConfigException("discovery." + name, value, min + ".." + max);
  }

  /** {@code true} or {@code false}; {@code fallback} if absent. */
  public boolean bool(String name, boolean fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new MeshConfigException("discovery." + name, value, "true or false");
    }
  }

  /** A duration in the forms {@link #duration} accepts, or {@code null} if it is none. */
  public static @Nullable Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
      if (v.endsWith("h")) {
        return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      return null;
    }
    return null;
  }

  /** {@code d} the way Consul and the URIs write durations: {@code 250ms} or {@code 30s}. */
  public static String format(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
