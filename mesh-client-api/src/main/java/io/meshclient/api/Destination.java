package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link Route} sends its requests: a {@linkplain #service() service} (the one called, unless
 * named), restricted to the {@linkplain #subset() subset} of its endpoints whose discovery labels
 * include every given label (e.g. {@code version=v2}), with a {@linkplain #weight() weight} for
 * splitting traffic between several destinations.
 *
 * <pre>{@code
 * Destination v1 = Destination.builder().subset("version", "v1").weight(90).build();
 * Destination v2 = Destination.builder().subset("version", "v2").weight(10).build();
 * Destination other = Destination.builder().service("orders-next").build();
 * }</pre>
 *
 * <p>Weights are relative: 90 and 10 send 90 % and 10 % of the requests; a weight of 0 sends none.
 * An empty subset means all of the service's endpoints. Immutable and thread-safe.
 */
public final class Destination {
  /** The weight unless one is set. */
  public static final int DEFAULT_WEIGHT = 1;

  private final @Nullable String service;
  private final Map<String, String> subset;
  private final int weight;

  private Destination(Builder b) {
    this.service = b.service;
    this.subset = java.util.Collections.unmodifiableMap(new TreeMap<>(b.subset));
    this.weight = b.weight;
  }

  /** A destination on the called service with the one label {@code key=value}, at the default weight. */
  public static Destination subset(String key, String value) {
    return builder().subset(key, value).build();
  }

  /** A builder for all endpoints of the called service, at the default weight. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this destination's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.service = service;
    b.subset.putAll(subset);
    b.weight = weight;
    return b;
  }

  /** The service the requests go to, or {@code null} for the service called. */
  public @Nullable String service() {
    return service;
  }

  /** The labels an endpoint must all carry to be picked; empty for every endpoint. */
  public Map<String, String> subset() {
    return subset;
  }

  /** This destination's share of the route's traffic, relative to the other destinations' weights. */
  public int weight() {
    return weight;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Destination && java.util.Objects.equals(service, ((Destination) o).service)
        && subset.equals(((Destination) o).subset) && weight == ((Destination) o).weight;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(service, subset, weight);
  }

  @Override
  public String toString() {
    return "Destination{" + (service != null ? service : "(this service)")
        + (subset.isEmpty() ? "" : ", subset=" + subset) + ", weight=" + weight + "}";
  }

  /** Builds a {@link Destination}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private @Nullable String service;
    private final Map<String, String> subset = new TreeMap<>();
    private int weight = DEFAULT_WEIGHT;

    private Builder() {}

    /**
     * Sends to {@code service} instead of the service called; it must be a service of the same mesh.
     *
     * @throws MeshConfigException at {@code service} if the name is empty
     */
    public Builder service(@Nullable String service) {
      if (service != null && service.isBlank()) {
        throw new MeshConfigException("service", service, "a service name, or none for the service called");
      }
      this.service = service;
      return this;
    }

    /**
     * Restricts the destination to endpoints labelled {@code key=value}; adds to the labels given before.
     *
     * @throws MeshConfigException at {@code subset} if the key is empty
     */
    public Builder subset(String key, String value) {
      requireNonNull(value, "value");
      if (key == null || key.isEmpty()) {
        throw new MeshConfigException("subset", key, "a non-empty label name");
      }
      subset.put(key, value);
      return this;
    }

    /** Restricts the destination to endpoints carrying every one of {@code labels}; adds to those given before. */
    public Builder subset(Map<String, String> labels) {
      requireNonNull(labels, "labels").forEach(this::subset);
      return this;
    }

    /**
     * Sets the share of the route's traffic, relative to its other destinations.
     *
     * @throws MeshConfigException at {@code weight} if negative
     */
    public Builder weight(int weight) {
      if (weight < 0) {
        throw new MeshConfigException("weight", weight, ">= 0");
      }
      this.weight = weight;
      return this;
    }

    /** Builds the destination; every value was checked when it was set. */
    public Destination build() {
      return new Destination(this);
    }
  }
}
