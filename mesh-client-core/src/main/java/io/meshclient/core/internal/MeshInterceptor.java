package io.meshclient.core.internal;

import io.meshclient.api.MeshEventListener;
import java.io.IOException;
import java.util.Map;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The OkHttp application interceptor that turns a call to {@code http://<service>/...} into a mesh
 * call. A request whose host is not a known service passes through untouched. Mesh calls are sent
 * on the service's transport client, one OkHttp call per attempt. Every call, mesh or not, first
 * passes the egress policy ({@link MeshSecurity#checkEgress}), before any network I/O.
 *
 * <p>Thread-safe: the service map is immutable and each call gets its own {@link MeshCall}.
 */
public final class MeshInterceptor implements Interceptor {
  private final Map<String, Cluster> clusters;
  private final OkHttpClient transport;
  private final MeshEventListener listener;
  private final Ticker ticker;
  private final MeshSecurity security;
  private final CallObserver observer;
  private volatile boolean closed;

  public MeshInterceptor(Map<String, Cluster> clusters, OkHttpClient transport, MeshEventListener listener, Ticker ticker,
      MeshSecurity security, CallObserver observer) {
    this.clusters = Map.copyOf(clusters);
    this.observer = observer;
    this.transport = transport;
    this.listener = listener;
    this.ticker = ticker;
    this.security = security;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    security.checkEgress(request);
    Cluster cluster = clusters.get(request.url().host());
    if (cluster == null) {
      return chain.proceed(request);
    }
    if (closed) {
      throw new IOException("the MeshClient is closed; service '" + cluster.service() + "' can no longer be called");
    }
    return new MeshCall(cluster, chain, this).execute();
  }

  /** Refuses further mesh calls; calls to other hosts still pass through. */
  public void close() {
    closed = true;
  }

  OkHttpClient transport() {
    return transport;
  }

  /** The client attempts to {@code cluster}'s service go out on: the transport, with its TLS settings. */
  OkHttpClient transport(Cluster cluster) {
    return security.transport(cluster.service(), transport);
  }

  MeshEventListener listener() {
    return listener;
  }

  Ticker ticker() {
    return ticker;
  }

  CallObserver observer() {
    return observer;
  }
}
