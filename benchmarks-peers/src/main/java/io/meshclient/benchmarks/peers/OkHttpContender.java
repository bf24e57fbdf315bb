package io.meshclient.benchmarks.peers;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The contenders that call with OkHttp: raw OkHttp spreading calls round robin over the backends'
 * addresses (the physical limit), and OkHttp through the sidecar proxy's one address. mesh-client's
 * contender reuses {@link #client()} as its transport, so the three share one OkHttp setup.
 */
class OkHttpContender implements Contender {
  private final String name;
  private final OkHttpClient client;
  private final List<Request> requests;
  private final int backends;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * @param urls called in turn, one per call
   * @param backends how many backends may answer
   */
  OkHttpContender(String name, OkHttpClient client, List<HttpUrl> urls, int backends) {
    this.name = name;
    this.client = client;
    this.requests = urls.stream().map(url -> new Request.Builder().url(url).build()).toList();
    this.backends = backends;
  }

  /** Raw OkHttp over {@code ports}, round robin. */
  static OkHttpContender raw(List<Integer> ports) {
    return new OkHttpContender("raw", client(), ports.stream().map(OkHttpContender::url).toList(), ports.size());
  }

  /**
   * The OkHttp client every OkHttp-based contender uses: OkHttp's defaults, but with room for an
   * idle connection per worker (the default pool keeps 5 idle connections in all, which would make
   * the saturation runs reconnect).
   */
  static OkHttpClient client() {
    return new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(256, 5, TimeUnit.MINUTES))
        .build();
  }

  static HttpUrl url(int port) {
    return new HttpUrl.Builder().scheme("http").host("127.0.0.1").port(port).build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int call() throws IOException {
    return call(client.newCall(nextRequest()), backends);
  }

  /** The request to the next address in turn. */
  Request nextRequest() {
    return requests.get(Math.floorMod(next.getAndIncrement(), requests.size()));
  }

  /** The OkHttp client it calls with. */
  OkHttpClient okHttp() {
    return client;
  }

  int backends() {
    return backends;
  }

  static int call(OkHttpClient client, Request request, int backends) throws IOException {
    return call(client.newCall(request), backends);
  }

  /** Executes {@code call}, reads the whole body and closes the response: the backend that answered. */
  static int call(Call call, int backends) throws IOException {
    try (Response response = call.execute()) {
      int backend = Contender.backend(response.code(), response.header(Backend.HEADER), backends);
      Contender.checkBody(response.body().bytes());
      return backend;
    }
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
