package io.meshclient.core.config;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.EgressPolicy;
import io.meshclient.api.Redaction;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.MeshClientBuilder;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The configuration model: everything a mesh is built from that can be written down, as one
 * immutable value. Three front ends fill it in: the builder API ({@link MeshClientBuilder}, whose
 * {@code MeshClient.config()} returns the model it built), configuration files
 * ({@link MeshConfigFile}, YAML or JSON) and Spring Boot's {@code mesh.*} properties. Equal settings
 * give equal models, whichever front end wrote them.
 *
 * <p>The model is {@linkplain #defaults() defaults} plus per-service settings
 * ({@code services.<name>}), and mesh-wide settings: the default {@linkplain #discovery() discovery
 * source}, the caller's {@linkplain #zone() zone}, {@linkplain #tls() TLS}, the
 * {@linkplain #egress() egress policy} and {@linkplain #redaction() redaction}. Each service holds
 * its complete policy: the defaults with the service's own settings applied, field by field.
 *
 * <pre>{@code
 * MeshConfig config = MeshConfigFile.load(Path.of("/etc/mesh/mesh.yaml"));
 * MeshClient mesh = MeshClient.builder().config(config).build();
 * }</pre>
 *
 * <h2>Adding a field</h2>
 * The model is meant to grow with the mesh: resilience settings (retry rules, retry budget, hedging,
 * deadline propagation, bulkhead, rate limiter, adaptive concurrency), observability (metrics,
 * tracing, access log, admin server) and, with the traffic work, routes belong here. To add one:
 * <ol>
 *   <li>add it to the policy value in {@code mesh-client-api} (or, if mesh-wide, to this class and
 *       its builder, with {@code equals}, {@code hashCode} and {@link MeshClientBuilder#config});</li>
 *   <li>list it in that section's mapping in this package ({@code RetryMapping},
 *       {@code ServicePolicyMapping}, {@code MeshConfigMapping}, ...): one line naming the field and
 *       its setter; a new section gets its own small mapping class, listed in its parent's;</li>
 *   <li>add the property to {@code io.meshclient.spring.MeshProperties} (same name, so the Spring
 *       metadata completes it);</li>
 *   <li>document it in {@code docs/configuration.md}, and say in {@code MeshClient.reload} whether a
 *       change to it applies live.</li>
 * </ol>
 * {@code MeshConfigFileTest} checks that the file and the builder agree, and the Spring module's
 * {@code MeshAutoConfigurationTest} and {@code MeshPropertiesCoverageTest} that the properties do.
 *
 * <p>Immutable and thread-safe.
 */
public final class MeshConfig {
  private final ServicePolicy defaults;
  private final Map<String, ServiceConfig> services;
  private final @Nullable String discovery;
  private final Duration initialDiscoveryTimeout;
  private final @Nullable String zone;
  private final @Nullable TlsPolicy tls;
  private final EgressPolicy egress;
  private final Redaction redaction;

  private MeshConfig(Builder b) {
    this.defaults = b.defaults;
    this.services = Collections.unmodifiableMap(new LinkedHashMap<>(b.services));
    this.discovery = b.discovery;
    this.initialDiscoveryTimeout = b.initialDiscoveryTimeout;
    this.zone = b.zone;
    this.tls = b.tls;
    this.egress = b.egress;
    this.redaction = b.redaction;
  }

  /** A builder starting from the defaults: no services. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder().defaults(defaults).initialDiscoveryTimeout(initialDiscoveryTimeout)
        .egress(egress).redaction(redaction);
    b.services.putAll(services);
    b.discovery = discovery;
    b.zone = zone;
    b.tls = tls;
    return b;
  }

  /** The policy every service starts from. */
  public ServicePolicy defaults() {
    return defaults;
  }

  /** The services by name, in the order they were given. */
  public Map<String, ServiceConfig> services() {
    return services;
  }

  /** The mesh-wide discovery URI, or {@code null}. */
  public @Nullable String discovery() {
    return discovery;
  }

  /** How long calls wait for a discovery source's first answer. */
  public Duration initialDiscoveryTimeout() {
    return initialDiscoveryTimeout;
  }

  /** The zone this process runs in, or {@code null} when unknown. */
  public @Nullable String zone() {
    return zone;
  }

  /** The client certificate and trust settings, or {@code null} for the transport's. */
  public @Nullable TlsPolicy tls() {
    return tls;
  }

  /** Which calls the mesh may make. */
  public EgressPolicy egress() {
    return egress;
  }

  /** Which headers and query parameters outputs blank out. */
  public Redaction redaction() {
    return redaction;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof MeshConfig)) {
      return false;
    }
    MeshConfig that = (MeshConfig) o;
    // Service order is kept for display, not meaning: the maps compare as maps.
    return defaults.equals(that.defaults) && services.equals(that.services)
        && Objects.equals(discovery, that.discovery) && initialDiscoveryTimeout.equals(that.initialDiscoveryTimeout)
        && Objects.equals(zone, that.zone) && Objects.equals(tls, that.tls) && egress.equals(that.egress)
        && redaction.equals(that.redaction);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaults, services, discovery, initialDiscoveryTimeout, zone, tls, egress, redaction);
  }

  @Override
  public String toString() {
    return "MeshConfig{defaults=" + defaults + ", services=" + services
        + (discovery != null ? ", discovery=" + discovery : "") + ", initialDiscoveryTimeout=" + initialDiscoveryTimeout
        + (zone != null ? ", zone=" + zone : "") + (tls != null ? ", " + tls : "") + ", " + egress + ", " + redaction + "}";
  }

  /** Builds a {@link MeshConfig}. Not thread-safe. */
  public static final class Builder {
    private ServicePolicy defaults = ServicePolicy.ofDefaults();
    private final Map<String, ServiceConfig> services = new LinkedHashMap<>();
    private @Nullable String discovery;
    private Duration initialDiscoveryTimeout = MeshClientBuilder.DEFAULT_INITIAL_DISCOVERY_TIMEOUT;
    private @Nullable String zone;
    private @Nullable TlsPolicy tls;
    private EgressPolicy egress = EgressPolicy.allowAll();
    private Redaction redaction = Redaction.ofDefaults();

    private Builder() {}

    /** Sets the policy every service starts from. */
    public Builder defaults(ServicePolicy defaults) {
      this.defaults = requireNonNull(defaults, "defaults");
      return this;
    }

    /** Adds (or replaces) a service. */
    public Builder service(String name, ServiceConfig service) {
      services.put(requireNonNull(name, "name"), requireNonNull(service, "service"));
      return this;
    }

    /** Sets the mesh-wide discovery URI. */
    public Builder discovery(String uri) {
      this.discovery = requireNonNull(uri, "uri");
      return this;
    }

    /** Sets how long calls wait for a discovery source's first answer. */
    public Builder initialDiscoveryTimeout(Duration timeout) {
      this.initialDiscoveryTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets the zone this process runs in. */
    public Builder zone(String zone) {
      this.zone = requireNonNull(zone, "zone");
      return this;
    }

    /** Sets the TLS settings. */
    public Builder tls(TlsPolicy tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /** Sets the egress policy. */
    public Builder egress(EgressPolicy egress) {
      this.egress = requireNonNull(egress, "egress");
      return this;
    }

    /** Sets the redaction. */
    public Builder redaction(Redaction redaction) {
      this.redaction = requireNonNull(redaction, "redaction");
      return this;
    }

    /** Builds the value; the mesh checks the rest (names, sources, balancers) when it is built. */
    public MeshConfig build() {
      return new MeshConfig(this);
    }
  }
}
