package io.meshclient.core;

import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many threads through one mesh: exact counts, nothing leaked. */
class ConcurrencyTest {
  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 2_000;

  @RegisterExtension final Backends backends = new Backends();

  @Test
  void sixteenThreadsOfTwoThousandCallsEndWithExactCountsAndNoLeakedConnections() throws Exception {
    WireMockServer a = backends.ok("a");
    WireMockServer b = backends.ok("b");
    WireMockServer c = backends.ok("c");
    OkHttpClient transport = new OkHttpClient();
    AtomicInteger ok = new AtomicInteger();
    try (MeshClient mesh = MeshClient.builder()
        .transport(transport)
        .service("orders", s -> s.endpoints(endpoint(a), endpoint(b), endpoint(c)).loadBalancer("round_robin"))
        .build()) {
      OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(pool.submit(() -> {
          for (int i = 0; i < CALLS_PER_THREAD; i++) {
            try (Response response = client.newCall(new Request.Builder().url("http://orders/n/" + i).build()).execute()) {
              if (response.code() == 200 && response.body().string().length() == 1) {
                ok.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      pool.shutdown();

      int total = THREADS * CALLS_PER_THREAD;
      assertThat(ok.get()).isEqualTo(total);
      assertThat(requests(a) + requests(b) + requests(c)).isEqualTo(total);
      // Round robin over one shared counter: the three shares differ by at most one.
      assertThat(List.of(requests(a), requests(b), requests(c))).allSatisfy(n -> assertThat(n).isBetween(total / 3, total / 3 + 1));
      assertThat(mesh.snapshot().service("orders").orElseThrow().endpoints())
          .allSatisfy(e -> assertThat(e.inFlight()).isZero())
          .extracting(MeshSnapshot.EndpointSnapshot::requests)
          .containsOnly((long) total / 3, (long) total / 3 + 1);
      assertThat(transport.connectionPool().connectionCount())
          .as("every connection is back in the pool: no response left open")
          .isEqualTo(transport.connectionPool().idleConnectionCount());
    } finally {
      transport.dispatcher().executorService().shutdown();
      transport.connectionPool().evictAll();
    }
  }
}
