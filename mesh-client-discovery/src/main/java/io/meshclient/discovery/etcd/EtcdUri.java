package io.meshclient.discovery.etcd;

import io.meshclient.api.MeshConfigException;
import io.meshclient.discovery.internal.UriSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * What an {@code etcd://} URI says: the cluster members, the key prefix and the settings, checked.
 *
 * <pre>{@code
 * etcd://127.0.0.1:2379/mesh/services
 * etcd://10.0.0.1:2379,10.0.0.2:2379,10.0.0.3:2379/mesh/services?timeout=3s&ttl=15s&tls=true
 * }</pre>
 *
 * @param members the members' base URLs, tried in order
 * @param prefix the key prefix, starting with {@code /} and without a trailing {@code /}
 * @param timeout the time one request (list, put, lease call) may take
 * @param ttl the lease time-to-live of a registration
 */
record EtcdUri(List<HttpUrl> members, String prefix, Duration timeout, Duration ttl) {
  static final int DEFAULT_PORT = 2379;
  static final String DEFAULT_PREFIX = "/mesh/services";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
  /** etcd refuses shorter leases (its minimum follows from the election timeout). */
  static final Duration MIN_TTL = Duration.ofSeconds(2);

  private static final Set<String> PARAMETERS = Set.of("timeout", "ttl", "tls");

  EtcdUri {
    members = List.copyOf(members);
  }

  /** The key prefix of one service's endpoints: {@code <prefix>/<service>/}. */
  String serviceKey(String service) {
    return prefix + "/" + service + "/";
  }

  /** The key one endpoint of a service is registered under. */
  String endpointKey(String service, String endpointId) {
    return serviceKey(service) + endpointId;
  }

  /**
   * Reads an {@code etcd://host[:port][,host[:port]...][/prefix][?timeout=..&ttl=..&tls=..]} URI.
   *
   * @throws MeshConfigException naming the part that is wrong
   */
  static EtcdUri parse(URI uri) {
    if (!"etcd".equalsIgnoreCase(uri.getScheme())) {
      throw new MeshConfigException("etcd.uri", uri.toString(), "an etcd://host:port/prefix URI");
    }
    if (uri.isOpaque()) {
      throw new MeshConfigException("etcd.uri", uri.toString(), "etcd://host:port/prefix, with // before the host");
    }
    Map<String, String> query = query(uri);
    boolean tls = bool(query.getOrDefault("tls", "false"));
    List<HttpUrl> members = members(uri, tls ? "https" : "http");
    Duration timeout = duration("etcd.timeout", query.get("timeout"), DEFAULT_TIMEOUT);
    if (timeout.isZero()) {
      throw new MeshConfigException("etcd.timeout", query.get("timeout"), "a duration > 0, e.g. 5s");
    }
    Duration ttl = duration("etcd.ttl", query.get("ttl"), DEFAULT_TTL);
    if (ttl.compareTo(MIN_TTL) < 0) {
      throw new MeshConfigException("etcd.ttl", query.get("ttl"), ">= 2s (etcd's shortest lease)");
    }
    return new EtcdUri(members, prefix(uri.getRawPath()), timeout, ttl);
  }

  private static List<HttpUrl> members(URI uri, String scheme) {
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isBlank()) {
      throw new MeshConfigException("etcd.members", uri.toString(), "at least one host, e.g. etcd://127.0.0.1:2379/prefix");
    }
    if (authority.contains("@")) {
      throw new MeshConfigException("etcd.members", authority, "host:port pairs without user information (etcd auth is not supported)");
    }
    List<HttpUrl> members = new ArrayList<>();
    for (String member : authority.split(",", -1)) {
      HttpUrl url = HttpUrl.parse(scheme + "://" + member + "/");
      if (member.isBlank() || url == null || !url.encodedPath().equals("/")) {
        throw new MeshConfigException("etcd.members", member, "host or host:port, e.g. 127.0.0.1:2379");
      }
      boolean portGiven = member.matches(".*:\\d+$") && !member.endsWith("]");
      members.add(portGiven ? url : url.newBuilder().port(DEFAULT_PORT).build());
    }
    return members;
  }

  private static String prefix(String rawPath) {
    String path = rawPath == null ? "" : rawPath;
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.isEmpty()) {
      return DEFAULT_PREFIX;
    }
    if (path.contains("//") || path.contains("%")) {
      throw new MeshConfigException("etcd.prefix", rawPath, "a plain key prefix such as /mesh/services");
    }
    return path;
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> query = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      if (!PARAMETERS.contains(name)) {
        throw new MeshConfigException("etcd." + name, value, "one of the settings " + new java.util.TreeSet<>(PARAMETERS));
      }
      query.put(name, value);
    }
    return query;
  }

  private static boolean bool(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new MeshConfigException("etcd.tls", value, "true or false");
    }
  }

  /** Reads {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h} or an ISO-8601 duration ({@code PT5S}). */
  static Duration duration(String path, String value, Duration otherwise) {
    if (value == null) {
      return otherwise;
    }
    Duration parsed = UriSettings.parseDuration(value);
    if (parsed == null || parsed.isNegative()) {
      throw new MeshConfigException(path, value, "a duration such as 500ms, 5s, 1m or PT5S");
    }
    return parsed;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("etcd://");
    for (int i = 0; i < members.size(); i++) {
      HttpUrl m = members.get(i);
      s.append(i == 0 ? "" : ",").append(m.host().contains(":") ? "[" + m.host() + "]" : m.host()).append(':').append(m.port());
    }
    return s.append(prefix).toString();
  }
}
