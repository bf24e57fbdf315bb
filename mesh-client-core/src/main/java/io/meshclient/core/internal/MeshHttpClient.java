package io.meshclient.core.internal;

import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The OkHttp client the mesh hands out: an ordinary {@link OkHttpClient} whose calls to mesh
 * services are {@link MeshHttpCall}s, so that {@code enqueue()} runs the whole call (retries,
 * backoff, hedges) without holding a dispatcher thread. Calls to other hosts, and every call when
 * application interceptors run before the mesh's, go the usual way, through the
 * {@link MeshInterceptor} among the client's interceptors.
 *
 * <p>A client made from this one with {@link #newBuilder()} is a plain {@link OkHttpClient} that
 * still has the mesh interceptor: it routes the same, and its {@code enqueue()} keeps a dispatcher
 * thread for each call while it runs. Thread-safe.
 */
public final class MeshHttpClient extends OkHttpClient {
  private final MeshInterceptor mesh;
  private final boolean meshFirst;

  /** A client built from {@code builder}, whose interceptors include {@code mesh}. */
  public MeshHttpClient(OkHttpClient.Builder builder, MeshInterceptor mesh) {
    super(builder);
    this.mesh = mesh;
    this.meshFirst = !interceptors().isEmpty() && interceptors().get(0) == mesh;
  }

  @Override
  public Call newCall(Request request) {
    Cluster cluster = meshFirst ? mesh.cluster(request) : null;
    if (cluster == null) {
      return super.newCall(request);
    }
    return new MeshHttpCall(this, mesh, cluster, request);
  }
}
