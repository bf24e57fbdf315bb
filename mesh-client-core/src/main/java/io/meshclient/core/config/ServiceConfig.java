package io.meshclient.core.config;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.Endpoint;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.ServicePolicy;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One service of a {@link MeshConfig}: its complete {@linkplain #policy() policy} (the mesh
 * defaults with the service's own settings applied), where its endpoints come from (fixed
 * {@linkplain #endpoints() endpoints} or a {@linkplain #discovery() discovery URI}, or neither to
 * use the mesh-wide source), and the {@linkplain #peerIdentity() identity} its endpoints must prove.
 *
 * <pre>{@code
 * ServiceConfig orders = ServiceConfig.builder()
 *     .policy(ServicePolicy.builder().loadBalancer("least_request").build())
 *     .endpoints(List.of(Endpoint.of("10.0.0.7", 8080)))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ServiceConfig {
  private final ServicePolicy policy;
  private final @Nullable List<Endpoint> endpoints;
  private final @Nullable String discovery;
  private final @Nullable PeerIdentity peerIdentity;

  private ServiceConfig(Builder b) {
    this.policy = b.policy;
    this.endpoints = b.endpoints;
    this.discovery = b.discovery;
    this.peerIdentity = b.peerIdentity;
  }

  /** A builder: the default policy, no endpoints, no discovery URI, no peer identity. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this service's values. */
  public Builder toBuilder() {
    Builder b = new Builder().policy(policy);
    b.endpoints = endpoints;
    b.discovery = discovery;
    b.peerIdentity = peerIdentity;
    return b;
  }

  /** Everything the mesh does on calls to the service. */
  public ServicePolicy policy() {
    return policy;
  }

  /** The fixed endpoints, or {@code null} when they come from discovery. */
  public @Nullable List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The service's own discovery URI, or {@code null} for fixed endpoints or the mesh-wide source. */
  public @Nullable String discovery() {
    return discovery;
  }

  /** The identity the service's endpoints must prove over TLS, or {@code null}. */
  public @Nullable PeerIdentity peerIdentity() {
    return peerIdentity;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ServiceConfig)) {
      return false;
    }
    ServiceConfig that = (ServiceConfig) o;
    return policy.equals(that.policy) && Objects.equals(endpoints, that.endpoints)
        && Objects.equals(discovery, that.discovery) && Objects.equals(peerIdentity, that.peerIdentity);
  }

  @Override
  public int hashCode() {
    return Objects.hash(policy, endpoints, discovery, peerIdentity);
  }

  @Override
  public String toString() {
    return "ServiceConfig{" + (endpoints != null ? "endpoints=" + endpoints + ", " : "")
        + (discovery != null ? "discovery=" + discovery + ", " : "")
        + (peerIdentity != null ? "peerIdentity=" + peerIdentity + ", " : "") + policy + "}";
  }

  /** Builds a {@link ServiceConfig}. Not thread-safe. */
  public static final class Builder {
    private ServicePolicy policy = ServicePolicy.ofDefaults();
    private @Nullable List<Endpoint> endpoints;
    private @Nullable String discovery;
    private @Nullable PeerIdentity peerIdentity;

    private Builder() {}

    /** Sets the complete policy (the mesh defaults already applied). */
    public Builder policy(ServicePolicy policy) {
      this.policy = requireNonNull(policy, "policy");
      return this;
    }

    /** Serves the service from fixed endpoints. */
    public Builder endpoints(List<Endpoint> endpoints) {
      this.endpoints = List.copyOf(requireNonNull(endpoints, "endpoints"));
      return this;
    }

    /** Takes the service's endpoints from the source at {@code uri}. */
    public Builder discovery(String uri) {
      this.discovery = requireNonNull(uri, "uri");
      return this;
    }

    /** Requires the service's endpoints to prove {@code peerIdentity}. */
    public Builder peerIdentity(PeerIdentity peerIdentity) {
      this.peerIdentity = requireNonNull(peerIdentity, "peerIdentity");
      return this;
    }

    /** Builds the value; whether endpoints and discovery fit together is checked when the mesh is built. */
    public ServiceConfig build() {
      return new ServiceConfig(this);
    }
  }
}
