package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One network address that serves a service: host, port, and what the mesh knows about it (TLS,
 * zone, weight, labels such as {@code version=v2}). Immutable; equal when every field is equal.
 *
 * <pre>{@code
 * Endpoint a = Endpoint.of("10.0.0.7", 8080);
 * Endpoint b = Endpoint.builder("10.0.0.8", 8443)
 *     .secure(true)
 *     .zone("eu-west-1a")
 *     .weight(2)
 *     .label("version", "v2")
 *     .build();
 * }</pre>
 *
 * <p>The {@linkplain #id() id} identifies the endpoint across discovery updates: the mesh keeps
 * an endpoint's live state (in-flight requests, circuit breaker) for as long as updates carry an
 * endpoint with the same id. It defaults to {@code host:port}.
 *
 * <p>Jackson writes it as an object of its properties, {@code address} included (the annotations
 * are optional: without Jackson on the class path nothing needs them).
 */
public final class Endpoint {
  /** The weight an endpoint has unless one is set. */
  public static final int DEFAULT_WEIGHT = 1;

  /** The largest weight accepted. */
  public static final int MAX_WEIGHT = 1_000_000;

  private final String id;
  private final String host;
  private final int port;
  private final boolean secure;
  private final @Nullable String zone;
  private final int weight;
  private final Map<String, String> labels;
  private final boolean healthy;

  private Endpoint(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.id = b.id != null ? b.id : hostPort(b.host, b.port);
    this.secure = b.secure;
    this.zone = b.zone;
    this.weight = b.weight;
    this.labels = Map.copyOf(b.labels);
    this.healthy = b.healthy;
  }

  /**
   * A plain-HTTP endpoint with default weight and no zone or labels.
   *
   * @throws MeshConfigException if the host is empty or the port is outside 1..65535
   */
  public static Endpoint of(String host, int port) {
    return builder(host, port).build();
  }

  /** A builder for an endpoint at {@code host:port}. */
  public static Builder builder(String host, int port) {
    return new Builder(host, port);
  }

  /** A builder that starts from this endpoint's values. */
  public Builder toBuilder() {
    Builder b = new Builder(host, port).id(id).secure(secure).weight(weight).labels(labels).healthy(healthy);
    if (zone != null) {
      b.zone(zone);
    }
    return b;
  }

  /** The identity that ties live state to this endpoint across updates; {@code host:port} by default. */
  @JsonProperty
  public String id() {
    return id;
  }

  /** Host name or IP literal (IPv6 without brackets). */
  @JsonProperty
  public String host() {
    return host;
  }

  /** TCP port, 1..65535. */
  @JsonProperty
  public int port() {
    return port;
  }

  /** Whether calls to this endpoint use TLS (HTTPS). */
  @JsonProperty
  public boolean secure() {
    return secure;
  }

  /** The zone (failure domain) the endpoint runs in, or {@code null} if unknown. */
  @JsonProperty
  public @Nullable String zone() {
    return zone;
  }

  /** Relative share of traffic, 1..{@value #MAX_WEIGHT}. */
  @JsonProperty
  public int weight() {
    return weight;
  }

  /** Metadata labels from discovery or configuration, e.g. {@code version=v2}. Never null. */
  @JsonProperty
  public Map<String, String> labels() {
    return labels;
  }

  /**
   * Whether the source reports the endpoint fit for traffic (a registry's health check, a
   * Kubernetes readiness condition); {@code true} unless the source says otherwise. The mesh sends
   * to an unhealthy endpoint only in panic mode, when too few healthy ones remain.
   */
  @JsonProperty
  public boolean healthy() {
    return healthy;
  }

  /** {@code host:port}, with IPv6 hosts in brackets. */
  @JsonProperty
  public String address() {
    return hostPort(host, port);
  }

  private static String hostPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Endpoint)) {
      return false;
    }
    Endpoint that = (Endpoint) o;
    return port == that.port
        && secure == that.secure
        && healthy == that.healthy
        && weight == that.weight
        && id.equals(that.id)
        && host.equals(that.host)
        && java.util.Objects.equals(zone, that.zone)
        && labels.equals(that.labels);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, host, port, secure, zone, weight, labels, healthy);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Endpoint{").append(id);
    if (!id.equals(address())) {
      s.append(" at ").append(address());
    }
    if (secure) {
      s.append(", secure");
    }
    if (zone != null) {
      s.append(", zone=").append(zone);
    }
    if (weight != DEFAULT_WEIGHT) {
      s.append(", weight=").append(weight);
    }
    if (!labels.isEmpty()) {
      s.append(", labels=").append(new TreeMap<>(labels));
    }
    if (!healthy) {
      s.append(", unhealthy");
    }
    return s.append('}').toString();
  }

  /**
   * Builds an {@link Endpoint}. Setters take any value; {@link #build()} checks them and throws
   * {@link MeshConfigException} naming the first bad field. Not thread-safe.
   */
  public static final class Builder {
    private final String host;
    private final int port;
    private @Nullable String id;
    private boolean secure;
    private @Nullable String zone;
    private int weight = DEFAULT_WEIGHT;
    private final Map<String, String> labels = new TreeMap<>();
    private boolean healthy = true;

    private Builder(String host, int port) {
      this.host = requireNonNull(host, "host");
      this.port = port;
    }

    /** Sets the identity kept across discovery updates (default {@code host:port}). */
    public Builder id(String id) {
      this.id = requireNonNull(id, "id");
      return this;
    }

    /** Calls this endpoint over HTTPS. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** Sets the zone the endpoint runs in. */
    public Builder zone(String zone) {
      this.zone = requireNonNull(zone, "zone");
      return this;
    }

    /** Sets the relative share of traffic, 1..{@value Endpoint#MAX_WEIGHT}. */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    /** Marks the endpoint healthy (the default) or unhealthy, as its source reports it. */
    public Builder healthy(boolean healthy) {
      this.healthy = healthy;
      return this;
    }

    /** Adds one metadata label. */
    public Builder label(String key, String value) {
      labels.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /** Adds every label in {@code labels}. */
    public Builder labels(Map<String, String> labels) {
      labels.forEach(this::label);
      return this;
    }

    /**
     * Checks the values and builds the endpoint.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public Endpoint build() {
      if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
        throw new MeshConfigException("endpoint.host", host, "a host name or IP address");
      }
      if (port < 1 || port > 65535) {
        throw new MeshConfigException("endpoint.port", port, "1..65535");
      }
      if (id != null && id.isBlank()) {
        throw new MeshConfigException("endpoint.id", id, "a non-blank id");
      }
      if (weight < 1 || weight > MAX_WEIGHT) {
        throw new MeshConfigException("endpoint.weight", weight, "1.." + MAX_WEIGHT);
      }
      if (zone != null && zone.isBlank()) {
        throw new MeshConfigException("endpoint.zone", zone, "a non-blank zone");
      }
      return new Endpoint(this);
    }
  }
}
