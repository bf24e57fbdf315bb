package io.meshclient.core.internal.tls;

import io.meshclient.api.PeerIdentityException;
import io.meshclient.api.PeerIdentityException.Reason;
import java.io.IOException;
import okhttp3.Connection;
import okhttp3.Handshake;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * In STRICT mode, the first network interceptor of a service's transport client: it refuses a
 * connection on which the mesh's client certificate was not sent (the server did not ask for it),
 * after the handshake and before the request is written. Whether the server asked is only known
 * once the handshake is over, which is why this check is here and not in the trust manager.
 *
 * <p>Thread-safe; one per service.
 */
final class MutualTlsCheck implements Interceptor {
  private final String service;

  MutualTlsCheck(String service) {
    this.service = service;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    Handshake handshake = connection == null ? null : connection.handshake();
    if (handshake != null && handshake.localCertificates().isEmpty()) {
      throw new PeerIdentityException(service, PeerCheckInterceptor.address(chain.request().url()), Reason.NO_CLIENT_AUTH,
          "a server that asks for the client certificate (tls.mode STRICT)",
          "a handshake in which the client certificate was not requested", null);
    }
    return chain.proceed(chain.request());
  }

  @Override
  public String toString() {
    return "MutualTlsCheck{" + service + "}";
  }
}
