package io.meshclient.core.internal.tls;

import io.meshclient.api.PeerIdentity;
import io.meshclient.api.TlsPolicy;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.TlsVersion;
import org.jspecify.annotations.Nullable;

/**
 * One transport client per service, derived from the mesh's transport (sharing its connection pool
 * and dispatcher) with the TLS material: the client certificate, a {@link PeerVerifier} that
 * checks the service's peer identity during the handshake, TLS 1.2/1.3 only, and the
 * {@link PeerCheckInterceptor} (plus {@link MutualTlsCheck} in STRICT mode) in front.
 *
 * <p>Services with an identity get an SSL context of their own, so OkHttp never shares a
 * connection (nor a resumed TLS session) between services that expect different peers; services
 * without one share a context and check the endpoint's host. {@link #install} swaps in new
 * material: new calls get clients built on it, then idle pooled connections are evicted, and
 * connections made with the old material are never handed to a new call again (their address,
 * which holds the socket factory, differs), so they close when their last exchange ends and the
 * pool's keep-alive runs out.
 *
 * <p>Thread-safe: the client map is immutable and replaced through a volatile field.
 */
public final class TlsTransports {
  /** The peer was checked by {@link PeerVerifier} during the handshake; OkHttp's own check would undo SPIFFE IDs. */
  private static final HostnameVerifier CHECKED_IN_HANDSHAKE = (host, session) -> true;

  private final OkHttpClient base;
  private final TlsPolicy policy;
  private final Set<String> services;
  private final Map<String, PeerIdentity> identities;
  private volatile Map<String, OkHttpClient> clients = Map.of();

  /**
   * Clients for {@code services} over {@code material}.
   *
   * @param identities the peer identity of each service that has one
   */
  public TlsTransports(OkHttpClient base, TlsPolicy policy, Set<String> services, Map<String, PeerIdentity> identities,
      TlsMaterial material) {
    this.base = base;
    this.policy = policy;
    this.services = Set.copyOf(services);
    this.identities = Map.copyOf(identities);
    this.clients = build(material);
  }

  /** The client attempts to {@code service} are sent on; the base transport for an unknown service. */
  public OkHttpClient forService(String service) {
    OkHttpClient client = clients.get(service);
    return client != null ? client : base;
  }

  /** Builds clients on {@code material}, publishes them, and evicts idle pooled connections. */
  public void install(TlsMaterial material) {
    clients = build(material);
    base.connectionPool().evictAll();
  }

  private Map<String, OkHttpClient> build(TlsMaterial material) {
    ConnectionSpec tls = new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS).tlsVersions(versions()).build();
    List<ConnectionSpec> specs = List.of(tls, ConnectionSpec.CLEARTEXT);
    boolean strict = policy.mode() == TlsPolicy.Mode.STRICT;
    PeerVerifier shared = new PeerVerifier(material.trust(), null, material.trustDescription());
    SSLContext sharedContext = context(material, shared);
    Map<String, OkHttpClient> built = new HashMap<>();
    for (String service : services) {
      PeerIdentity identity = identities.get(service);
      PeerVerifier trust = identity == null ? shared : new PeerVerifier(material.trust(), identity, material.trustDescription());
      SSLContext context = identity == null ? sharedContext : context(material, trust);
      OkHttpClient.Builder client = base.newBuilder()
          .sslSocketFactory(context.getSocketFactory(), trust)
          .hostnameVerifier(CHECKED_IN_HANDSHAKE)
          .connectionSpecs(specs);
      String expected = identity != null ? identity.toString() : "mutual TLS (tls.mode STRICT)";
      client.interceptors().add(0, new PeerCheckInterceptor(service, identity != null || strict, expected));
      if (strict) {
        client.networkInterceptors().add(0, new MutualTlsCheck(service));
      }
      built.put(service, client.build());
    }
    return Map.copyOf(built);
  }

  private TlsVersion[] versions() {
    List<TlsVersion> versions = new ArrayList<>();
    for (String protocol : policy.protocols()) {
      versions.add(TlsVersion.forJavaName(protocol));
    }
    return versions.toArray(new TlsVersion[0]);
  }

  private static SSLContext context(TlsMaterial material, TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      @Nullable ClientCertificate keyManager = material.keyManager();
      context.init(keyManager == null ? new KeyManager[0] : new KeyManager[] {keyManager}, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS context could not be set up", e);
    }
  }

  @Override
  public String toString() {
    return "TlsTransports{" + policy.mode() + ", services=" + services + "}";
  }
}
