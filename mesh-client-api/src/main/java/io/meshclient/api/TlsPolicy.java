package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The TLS material and rules for calls to secure endpoints: the client certificate this client
 * presents (mutual TLS), the authorities it trusts, the protocol versions, whether every call
 * must be mutually authenticated, and how often the files are checked for a rotation.
 *
 * <pre>{@code
 * TlsPolicy tls = TlsPolicy.builder()
 *     .certificateChain(Path.of("/var/run/secrets/mesh/cert.pem"))
 *     .privateKey(Path.of("/var/run/secrets/mesh/key.pem"))
 *     .trustBundle(Path.of("/var/run/secrets/mesh/ca.pem"))
 *     .mode(TlsPolicy.Mode.STRICT)
 *     .build();
 * }</pre>
 *
 * <p>The client key comes from PEM files ({@linkplain #certificateChain() chain} and
 * {@linkplain #privateKey() key}: an unencrypted PKCS#8 or PKCS#1 RSA key) or from a
 * {@linkplain #keyStore() key store} with exactly one key entry; without either, no client
 * certificate is presented. Trust comes from a PEM {@linkplain #trustBundle() bundle} or a
 * {@linkplain #trustStore() trust store}; without either, the JDK's default authorities. Files are
 * read when the mesh is built (bad files fail the build with {@link MeshConfigException}) and
 * re-read when they change, so new connections use rotated material without a restart.
 *
 * <p>{@link #toString()} never shows a password. Immutable and thread-safe.
 */
public final class TlsPolicy {
  /** How strictly the mesh insists on mutual TLS. */
  public enum Mode {
    /**
     * Secure endpoints are called over TLS, presenting the client certificate when the server asks
     * for it; endpoints not marked secure are called over plain HTTP (unless the service has a
     * peer identity), and a server that does not ask for a client certificate is still called.
     */
    PERMISSIVE,
    /**
     * Every mesh call is mutually authenticated: an endpoint not marked secure, or a server that
     * does not ask for the client certificate, is refused with {@link PeerIdentityException}.
     * Needs a client certificate.
     */
    STRICT
  }

  /** The protocol versions used unless set: TLS 1.3 and TLS 1.2. */
  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** How often the files are checked for changes besides file-system events: every 10 seconds. */
  public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(10);

  /** The key and trust store type used unless set. */
  public static final String DEFAULT_STORE_TYPE = "PKCS12";

  private static final TlsPolicy DEFAULTS = builder().build();

  private final Mode mode;
  private final @Nullable Path certificateChain;
  private final @Nullable Path privateKey;
  private final @Nullable Path keyStore;
  private final String keyStoreType;
  private final @Nullable String keyStorePassword;
  private final @Nullable Path trustBundle;
  private final @Nullable Path trustStore;
  private final String trustStoreType;
  private final @Nullable String trustStorePassword;
  private final List<String> protocols;
  private final Duration reloadInterval;

  private TlsPolicy(Builder b) {
    this.mode = b.mode;
    this.certificateChain = b.certificateChain;
    this.privateKey = b.privateKey;
    this.keyStore = b.keyStore;
    this.keyStoreType = b.keyStoreType;
    this.keyStorePassword = b.keyStorePassword;
    this.trustBundle = b.trustBundle;
    this.trustStore = b.trustStore;
    this.trustStoreType = b.trustStoreType;
    this.trustStorePassword = b.trustStorePassword;
    this.protocols = List.copyOf(b.protocols);
    this.reloadInterval = b.reloadInterval;
  }

  /** No client certificate, the JDK's default trust, TLS 1.3 and 1.2, permissive. */
  public static TlsPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.certificateChain = certificateChain;
    b.privateKey = privateKey;
    b.keyStore = keyStore;
    b.keyStoreType = keyStoreType;
    b.keyStorePassword = keyStorePassword;
    b.trustBundle = trustBundle;
    b.trustStore = trustStore;
    b.trustStoreType = trustStoreType;
    b.trustStorePassword = trustStorePassword;
    b.protocols = new ArrayList<>(protocols);
    b.reloadInterval = reloadInterval;
    return b;
  }

  /** {@code PERMISSIVE} unless set. */
  public Mode mode() {
    return mode;
  }

  /** The PEM file with the client certificate first and its intermediates after it, or null. */
  public @Nullable Path certificateChain() {
    return certificateChain;
  }

  /** The PEM file with the client certificate's private key, or null. */
  public @Nullable Path privateKey() {
    return privateKey;
  }

  /** The key store holding the client key and certificate chain, or null. */
  public @Nullable Path keyStore() {
    return keyStore;
  }

  /** The key store's type, {@code PKCS12} unless set. */
  public String keyStoreType() {
    return keyStoreType;
  }

  /** The key store's password, or null for none. Never logged. */
  public @Nullable String keyStorePassword() {
    return keyStorePassword;
  }

  /** The PEM file of trusted certificate authorities, or null. */
  public @Nullable Path trustBundle() {
    return trustBundle;
  }

  /** The trust store of trusted certificate authorities, or null. */
  public @Nullable Path trustStore() {
    return trustStore;
  }

  /** The trust store's type, {@code PKCS12} unless set. */
  public String trustStoreType() {
    return trustStoreType;
  }

  /** The trust store's password, or null for none. Never logged. */
  public @Nullable String trustStorePassword() {
    return trustStorePassword;
  }

  /** The TLS versions offered: {@code TLSv1.3} and/or {@code TLSv1.2}. */
  public List<String> protocols() {
    return protocols;
  }

  /** How often the files are checked for changes besides file-system events; zero never reloads. */
  public Duration reloadInterval() {
    return reloadInterval;
  }

  /** Whether the policy names a client certificate. */
  public boolean hasClientCertificate() {
    return certificateChain != null || keyStore != null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof TlsPolicy)) {
      return false;
    }
    TlsPolicy that = (TlsPolicy) o;
    return mode == that.mode && Objects.equals(certificateChain, that.certificateChain)
        && Objects.equals(privateKey, that.privateKey) && Objects.equals(keyStore, that.keyStore)
        && keyStoreType.equals(that.keyStoreType) && Objects.equals(keyStorePassword, that.keyStorePassword)
        && Objects.equals(trustBundle, that.trustBundle) && Objects.equals(trustStore, that.trustStore)
        && trustStoreType.equals(that.trustStoreType) && Objects.equals(trustStorePassword, that.trustStorePassword)
        && protocols.equals(that.protocols) && reloadInterval.equals(that.reloadInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, certificateChain, privateKey, keyStore, trustBundle, trustStore, protocols, reloadInterval);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("TlsPolicy{").append(mode);
    if (certificateChain != null) {
      s.append(", certificateChain=").append(certificateChain).append(", privateKey=").append(privateKey);
    }
    if (keyStore != null) {
      s.append(", keyStore=").append(keyStore).append(" (").append(keyStoreType).append(')');
      s.append(", keyStorePassword=").append(keyStorePassword == null ? "none" : Redaction.REDACTED);
    }
    if (trustBundle != null) {
      s.append(", trustBundle=").append(trustBundle);
    }
    if (trustStore != null) {
      s.append(", trustStore=").append(trustStore).append(" (").append(trustStoreType).append(')');
      s.append(", trustStorePassword=").append(trustStorePassword == null ? "none" : Redaction.REDACTED);
    }
    if (trustBundle == null && trustStore == null) {
      s.append(", trust=JDK default");
    }
    return s.append(", protocols=").append(protocols).append(", reloadInterval=").append(reloadInterval)
        .append('}').toString();
  }

  /**
   * Builds a {@link TlsPolicy}. Setters reject {@code null}; {@link #build()} checks that the
   * values fit together and throws {@link MeshConfigException} naming the first that does not.
   * Whether the files can be read is checked when the mesh is built. Not thread-safe.
   */
  public static final class Builder {
    private Mode mode = Mode.PERMISSIVE;
    private @Nullable Path certificateChain;
    private @Nullable Path privateKey;
    private @Nullable Path keyStore;
    private String keyStoreType = DEFAULT_STORE_TYPE;
    private @Nullable String keyStorePassword;
    private @Nullable Path trustBundle;
    private @Nullable Path trustStore;
    private String trustStoreType = DEFAULT_STORE_TYPE;
    private @Nullable String trustStorePassword;
    private List<String> protocols = new ArrayList<>(DEFAULT_PROTOCOLS);
    private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;

    private Builder() {}

    /** Sets how strictly mutual TLS is required. */
    public Builder mode(Mode mode) {
      this.mode = requireNonNull(mode, "mode");
      return this;
    }

    /** The PEM file with the client certificate, then its intermediates. Needs {@link #privateKey}. */
    public Builder certificateChain(Path certificateChain) {
      this.certificateChain = requireNonNull(certificateChain, "certificateChain");
      return this;
    }

    /** The PEM file with the client certificate's private key (unencrypted PKCS#8, or PKCS#1 RSA). */
    public Builder privateKey(Path privateKey) {
      this.privateKey = requireNonNull(privateKey, "privateKey");
      return this;
    }

    /** A key store with exactly one key entry; {@code password} may be null for none. */
    public Builder keyStore(Path keyStore, @Nullable String password) {
      this.keyStore = requireNonNull(keyStore, "keyStore");
      this.keyStorePassword = password;
      return this;
    }

    /** The key store's type, e.g. {@code PKCS12} (the default) or {@code JKS}. */
    public Builder keyStoreType(String type) {
      this.keyStoreType = requireNonNull(type, "keyStoreType");
      return this;
    }

    /** The PEM file of certificate authorities to trust instead of the JDK's defaults. */
    public Builder trustBundle(Path trustBundle) {
      this.trustBundle = requireNonNull(trustBundle, "trustBundle");
      return this;
    }

    /** A trust store of authorities to trust instead of the JDK's defaults; {@code password} may be null. */
    public Builder trustStore(Path trustStore, @Nullable String password) {
      this.trustStore = requireNonNull(trustStore, "trustStore");
      this.trustStorePassword = password;
      return this;
    }

    /** The trust store's type, e.g. {@code PKCS12} (the default) or {@code JKS}. */
    public Builder trustStoreType(String type) {
      this.trustStoreType = requireNonNull(type, "trustStoreType");
      return this;
    }

    /** The TLS versions to offer, from {@code TLSv1.3} and {@code TLSv1.2}. */
    public Builder protocols(String... protocols) {
      this.protocols = new ArrayList<>(List.of(protocols));
      return this;
    }

    /** How often to check the files besides file-system events; zero turns reloading off. */
    public Builder reloadInterval(Duration reloadInterval) {
      this.reloadInterval = requireNonNull(reloadInterval, "reloadInterval");
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first value that does not fit
     */
    public TlsPolicy build() {
      if (certificateChain != null && privateKey == null) {
        throw new MeshConfigException("tls.privateKey", null, "the private key of tls.certificateChain (" + certificateChain + ")");
      }
      if (privateKey != null && certificateChain == null) {
        throw new MeshConfigException("tls.certificateChain", null, "the certificate chain of tls.privateKey (" + privateKey + ")");
      }
      if (certificateChain != null && keyStore != null) {
        throw new MeshConfigException("tls.keyStore", keyStore, "either PEM files (tls.certificateChain) or a key store, not both");
      }
      if (trustBundle != null && trustStore != null) {
        throw new MeshConfigException("tls.trustStore", trustStore, "either a PEM trust bundle (tls.trustBundle) or a trust store, not both");
      }
      if (protocols.isEmpty()) {
        throw new MeshConfigException("tls.protocols", protocols, "one or both of " + DEFAULT_PROTOCOLS);
      }
      for (int i = 0; i < protocols.size(); i++) {
        if (!DEFAULT_PROTOCOLS.contains(protocols.get(i))) {
          throw new MeshConfigException("tls.protocols[" + i + "]", protocols.get(i), "one of " + DEFAULT_PROTOCOLS);
        }
      }
      if (keyStoreType.isBlank()) {
        throw new MeshConfigException("tls.keyStoreType", keyStoreType, "a key store type such as PKCS12 or JKS");
      }
      if (trustStoreType.isBlank()) {
        throw new MeshConfigException("tls.trustStoreType", trustStoreType, "a key store type such as PKCS12 or JKS");
      }
      if (reloadInterval.isNegative()) {
        throw new MeshConfigException("tls.reloadInterval", reloadInterval, ">= 0s (0s never reloads)");
      }
      if (mode == Mode.STRICT && certificateChain == null && keyStore == null) {
        throw new MeshConfigException("tls.mode", mode, "PERMISSIVE when there is no client certificate (tls.certificateChain or tls.keyStore)");
      }
      return new TlsPolicy(this);
    }
  }
}
