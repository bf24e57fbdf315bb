package io.meshclient.core.internal;

import io.meshclient.api.MeshEventListener;
import java.io.IOException;
import java.util.Map;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * The OkHttp application interceptor that turns a call to {@code http://<service>/...} into a mesh
 * call. A request whose host is not a known service passes through untouched. Mesh calls are sent
 * on the shared transport client, one OkHttp call per attempt.
 *
 * <p>Thread-safe: the service map is immutable and each call gets its own {@link MeshCall}.
 */
public final class MeshInterceptor implements Interceptor {
  private final Map<String, Cluster> clusters;
  private final OkHttpClient transport;
  private final MeshEventListener listener;
  private final Ticker ticker;
  private volatile boolean closed;

  public MeshInterceptor(Map<String, Cluster> clusters, OkHttpClient transport, MeshEventListener listener, Ticker ticker) {
    this.clusters = Map.copyOf(clusters);
    this.transport = transport;
    this.listener = listener;
    this.ticker = ticker;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Cluster cluster = clusters.get(chain.request().url().host());
    if (cluster == null) {
      return chain.proceed(chain.request());
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

  MeshEventListener listener() {
    return listener;
  }

  Ticker ticker() {
    return ticker;
  }
}
