package io.meshclient.testkit;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import org.jspecify.annotations.Nullable;

/**
 * One simulated endpoint of the service: its name (the endpoint id the mesh sees, and the name
 * results are reported under), what discovery says about it (zone, weight, health flag), and its
 * {@link Behaviour}.
 *
 * <pre>{@code
 * Backend a = Backend.of("a", Behaviour.steady(Duration.ofMillis(10)));
 * Backend b = Backend.builder("b", Behaviour.steady(Duration.ofMillis(10))).zone("eu-1a").weight(2).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Backend {
  private final String name;
  private final Behaviour behaviour;
  private final @Nullable String zone;
  private final int weight;
  private final boolean healthy;

  private Backend(Builder b) {
    this.name = b.name;
    this.behaviour = b.behaviour;
    this.zone = b.zone;
    this.weight = b.weight;
    this.healthy = b.healthy;
  }

  /** A backend with default weight, no zone, reported healthy. */
  public static Backend of(String name, Behaviour behaviour) {
    return builder(name, behaviour).build();
  }

  /** A builder for a backend named {@code name} that behaves as {@code behaviour}. */
  public static Builder builder(String name, Behaviour behaviour) {
    return new Builder(name, behaviour);
  }

  /** The name: the endpoint's id, and the key of its results. */
  public String name() {
    return name;
  }

  /** How it answers. */
  public Behaviour behaviour() {
    return behaviour;
  }

  /** The zone discovery reports, or {@code null}. */
  public @Nullable String zone() {
    return zone;
  }

  /** The weight discovery reports. */
  public int weight() {
    return weight;
  }

  /** The health flag discovery reports at first. */
  public boolean healthy() {
    return healthy;
  }

  /** The endpoint discovery reports for this backend, at a made-up address derived from {@code index}. */
  Endpoint endpoint(int index, boolean healthy) {
    String host = "10." + ((index >> 16) & 0xff) + "." + ((index >> 8) & 0xff) + "." + (index & 0xff);
    Endpoint.Builder b = Endpoint.builder(host, 8080).id(name).weight(weight).healthy(healthy);
    if (zone != null) {
      b.zone(zone);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "Backend{" + name + (zone != null ? ", zone=" + zone : "") + ", weight=" + weight
        + (healthy ? "" : ", unhealthy") + "}";
  }

  /** Builds a {@link Backend}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final Behaviour behaviour;
    private @Nullable String zone;
    private int weight = Endpoint.DEFAULT_WEIGHT;
    private boolean healthy = true;

    private Builder(String name, Behaviour behaviour) {
      requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new MeshConfigException("backend.name", name, "a non-blank name");
      }
      this.name = name;
      this.behaviour = requireNonNull(behaviour, "behaviour");
    }

    /** Sets the zone discovery reports. */
    public Builder zone(String zone) {
      requireNonNull(zone, "zone");
      if (zone.isBlank()) {
        throw new MeshConfigException("backends." + name + ".zone", zone, "a non-blank zone name");
      }
      this.zone = zone;
      return this;
    }

    /** Sets the weight discovery reports, 1..{@value Endpoint#MAX_WEIGHT}. */
    public Builder weight(int weight) {
      if (weight < 1 || weight > Endpoint.MAX_WEIGHT) {
        throw new MeshConfigException("backends." + name + ".weight", weight, "1.." + Endpoint.MAX_WEIGHT);
      }
      this.weight = weight;
      return this;
    }

    /** Sets the health flag discovery reports at first (true unless set). */
    public Builder healthy(boolean healthy) {
      this.healthy = healthy;
      return this;
    }

    /** Builds the backend. */
    public Backend build() {
      return new Backend(this);
    }
  }
}
