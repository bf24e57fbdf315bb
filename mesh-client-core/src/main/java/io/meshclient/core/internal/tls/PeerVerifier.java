package io.meshclient.core.internal.tls;

import io.meshclient.api.PeerIdentity;
import io.meshclient.api.PeerIdentityException.Reason;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Decides during the TLS handshake whether a server may be talked to: its chain must lead to a
 * trusted authority (the PKIX {@code delegate}), and its certificate must carry the expected
 * identity — the service's {@link PeerIdentity} if it has one, otherwise the endpoint's own host
 * name or IP address, as HTTPS hostname verification would. A refusal throws {@link PeerRejection},
 * which aborts the handshake, so the client certificate and the request never reach the peer; a
 * chain the delegate refuses is explained (expired, not yet valid, or untrusted).
 *
 * <p>Thread-safe and stateless beyond its settings.
 */
final class PeerVerifier extends X509ExtendedTrustManager {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final X509ExtendedTrustManager delegate;
  private final @Nullable PeerIdentity identity;
  private final String trustDescription;

  PeerVerifier(X509ExtendedTrustManager delegate, @Nullable PeerIdentity identity, String trustDescription) {
    this.delegate = delegate;
    this.identity = identity;
    this.trustDescription = trustDescription;
  }

  /** What a peer must present, for messages: the identity, or the endpoint's host. */
  static String expectedIdentity(@Nullable PeerIdentity identity, @Nullable String host) {
    return identity != null ? identity.toString() : "a DNS or IP SAN naming the endpoint's host " + host;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    String host = socket instanceof SSLSocket ? peerHost(((SSLSocket) socket).getHandshakeSession()) : null;
    try {
      delegate.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw explain(chain, e);
    }
    checkIdentity(chain[0], host);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    String host = engine == null ? null : peerHost(engine.getHandshakeSession());
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw explain(chain, e);
    }
    checkIdentity(chain[0], host);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw explain(chain, e);
    }
    checkIdentity(chain[0], null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private void checkIdentity(X509Certificate leaf, @Nullable String host) throws PeerRejection {
    boolean matches;
    if (identity != null) {
      matches = identity.matches(CertificateNames.dns(leaf), CertificateNames.uris(leaf));
    } else {
      matches = host != null && namesHost(leaf, host);
    }
    if (!matches) {
      throw new PeerRejection(Reason.IDENTITY_MISMATCH, expectedIdentity(identity, host), CertificateNames.describe(leaf), null);
    }
  }

  /** Whether the certificate names {@code host} as an IP SAN (for an IP literal) or a DNS SAN. */
  static boolean namesHost(X509Certificate certificate, String host) {
    if (host.indexOf(':') >= 0 || IPV4.matcher(host).matches()) {
      InetAddress address = literal(host);
      for (String ip : CertificateNames.ips(certificate)) {
        if (address != null && address.equals(literal(ip))) {
          return true;
        }
      }
      return false;
    }
    String lower = host.toLowerCase(Locale.ROOT);
    for (String san : CertificateNames.dns(certificate)) {
      if (PeerIdentity.dnsMatches(lower, san.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** An IP literal as an address; never a DNS look-up, since only literals get here. */
  private static @Nullable InetAddress literal(String ip) {
    try {
      String bare = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
      return bare.indexOf(':') >= 0 || IPV4.matcher(bare).matches() ? InetAddress.getByName(bare) : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Why the delegate refused the chain, in words a reader can act on. */
  private PeerRejection explain(X509Certificate[] chain, CertificateException cause) {
    X509Certificate leaf = chain[0];
    for (X509Certificate certificate : chain) {
      String which = certificate == leaf ? CertificateNames.describe(leaf) : "its issuer " + certificate.getSubjectX500Principal().getName();
      try {
        certificate.checkValidity();
      } catch (CertificateExpiredException e) {
        return new PeerRejection(Reason.EXPIRED, "a certificate valid now (" + java.time.Instant.now() + ")",
            which + " expired at " + certificate.getNotAfter().toInstant(), cause);
      } catch (CertificateNotYetValidException e) {
        return new PeerRejection(Reason.NOT_YET_VALID, "a certificate valid now (" + java.time.Instant.now() + ")",
            which + " valid only from " + certificate.getNotBefore().toInstant(), cause);
      }
    }
    X509Certificate top = chain[chain.length - 1];
    return new PeerRejection(Reason.UNTRUSTED, "a chain to one of " + trustDescription,
        CertificateNames.describe(leaf) + " issued by " + top.getIssuerX500Principal().getName(), cause);
  }

  private static @Nullable String peerHost(@Nullable SSLSession session) {
    return session == null ? null : session.getPeerHost();
  }

  @Override
  public String toString() {
    return "PeerVerifier{" + (identity != null ? identity : "endpoint host") + ", trust=" + trustDescription + "}";
  }
}
