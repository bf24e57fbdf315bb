package io.meshclient.core.internal;

import io.meshclient.api.AccessDeniedException;
import io.meshclient.api.EgressPolicy;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.Redaction;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.internal.egress.EgressGuard;
import io.meshclient.core.internal.tls.CertificateReloader;
import io.meshclient.core.internal.tls.TlsMaterial;
import io.meshclient.core.internal.tls.TlsTransports;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security side of a mesh in one place: the egress guard every call passes first, the
 * per-service TLS transport clients (when TLS or a peer identity is configured) and the reloader
 * that rotates their material, and the {@link Redaction} outputs use.
 *
 * <p>Without TLS settings and peer identities, attempts use the mesh's transport unchanged.
 * Thread-safe.
 */
public final class MeshSecurity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshSecurity.class);

  private final EgressGuard egress;
  private final Redaction redaction;
  private final @Nullable TlsTransports tls;
  private final @Nullable CertificateReloader reloader;

  private MeshSecurity(EgressGuard egress, Redaction redaction, @Nullable TlsTransports tls, @Nullable CertificateReloader reloader) {
    this.egress = egress;
    this.redaction = redaction;
    this.tls = tls;
    this.reloader = reloader;
  }

  /**
   * Reads the TLS files (if any), builds the transports and starts watching the files.
   *
   * @param tls the TLS settings, or null for none (then the JDK's defaults serve peer identities)
   * @param identities the peer identity of each service that has one
   * @param services every service of the mesh
   * @throws io.meshclient.api.MeshConfigException naming a TLS file that cannot be used
   */
  public static MeshSecurity create(@Nullable TlsPolicy tls, Map<String, PeerIdentity> identities, Set<String> services,
      EgressPolicy egress, Redaction redaction, Clock clock, OkHttpClient transport) {
    EgressGuard guard = new EgressGuard(egress, redaction, clock);
    if (tls == null && identities.isEmpty()) {
      return new MeshSecurity(guard, redaction, null, null);
    }
    TlsPolicy policy = tls != null ? tls : TlsPolicy.ofDefaults();
    TlsMaterial material = TlsMaterial.load(policy);
    log.info("tls: {} mode, {}", policy.mode(), material);
    if (material.clientCertificateProblem() != null) {
      log.warn("tls: {}", material.clientCertificateProblem());
    }
    TlsTransports transports = new TlsTransports(transport, policy, services, identities, material);
    CertificateReloader reloader = new CertificateReloader(policy, material, transports::install);
    reloader.start();
    return new MeshSecurity(guard, redaction, transports, reloader);
  }

  /** The client attempts to {@code service} go out on. */
  public OkHttpClient transport(String service, OkHttpClient base) {
    return tls == null ? base : tls.forService(service);
  }

  /**
   * Refuses a call the egress policy denies.
   *
   * @throws AccessDeniedException if it does
   */
  public void checkEgress(Request request) throws AccessDeniedException {
    egress.check(request);
  }

  /** Calls denied by egress rules so far, by rule name. */
  public Map<String, Long> deniedByRule() {
    return egress.deniedByRule();
  }

  /** What outputs must blank out. */
  public Redaction redaction() {
    return redaction;
  }

  /** The reloader of the TLS files, or null without TLS. */
  public @Nullable CertificateReloader reloader() {
    return reloader;
  }

  /** Stops watching the TLS files. Idempotent. */
  @Override
  public void close() {
    if (reloader != null) {
      reloader.close();
    }
  }

  @Override
  public String toString() {
    return "MeshSecurity{" + egress + (tls != null ? ", " + tls : "") + "}";
  }
}
