package io.meshclient.core.internal.tls;

import io.meshclient.api.PeerIdentityException;
import io.meshclient.api.PeerIdentityException.Reason;
import java.io.IOException;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The first application interceptor of a service's transport client, around each attempt: it
 * refuses to send a service that must be reached over TLS (it has a peer identity, or the mesh
 * is STRICT) to an endpoint not marked secure, before any connection is made; and it turns a
 * handshake that {@link PeerVerifier} refused into a {@link PeerIdentityException} naming the
 * service and endpoint.
 *
 * <p>Thread-safe; one per service.
 */
final class PeerCheckInterceptor implements Interceptor {
  private final String service;
  private final boolean requireTls;
  private final String expected;

  PeerCheckInterceptor(String service, boolean requireTls, String expected) {
    this.service = service;
    this.requireTls = requireTls;
    this.expected = expected;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (requireTls && !request.isHttps()) {
      throw new PeerIdentityException(service, address(request.url()), Reason.PLAINTEXT, expected,
          "plain HTTP (the endpoint is not marked secure)", null);
    }
    try {
      return chain.proceed(request);
    } catch (SSLException e) {
      PeerRejection rejection = rejection(e);
      if (rejection == null) {
        throw e;
      }
      throw new PeerIdentityException(service, address(request.url()), rejection.reason(), rejection.expected(),
          rejection.presented(), e);
    }
  }

  private static @Nullable PeerRejection rejection(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PeerRejection) {
        return (PeerRejection) t;
      }
    }
    return null;
  }

  static String address(HttpUrl url) {
    String host = url.host();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + url.port();
  }

  @Override
  public String toString() {
    return "PeerCheckInterceptor{" + service + "}";
  }
}
