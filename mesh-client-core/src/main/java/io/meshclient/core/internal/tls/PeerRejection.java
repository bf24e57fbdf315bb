package io.meshclient.core.internal.tls;

import io.meshclient.api.PeerIdentityException;
import java.security.cert.CertificateException;
import org.jspecify.annotations.Nullable;

/**
 * Why the trust manager refused a peer during the handshake. It travels as the cause of the
 * {@code SSLHandshakeException} (which also makes OkHttp give up on the route at once) and is
 * turned into a {@link PeerIdentityException} by {@link PeerCheckInterceptor}.
 */
final class PeerRejection extends CertificateException {
  private final PeerIdentityException.Reason reason;
  private final String expected;
  private final String presented;

  PeerRejection(PeerIdentityException.Reason reason, String expected, String presented, @Nullable Throwable cause) {
    super("peer refused (" + reason + "): expected " + expected + ", presented " + presented, cause);
    this.reason = reason;
    this.expected = expected;
    this.presented = presented;
  }

  PeerIdentityException.Reason reason() {
    return reason;
  }

  String expected() {
    return expected;
  }

  String presented() {
    return presented;
  }
}
