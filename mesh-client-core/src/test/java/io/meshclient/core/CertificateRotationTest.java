package io.meshclient.core;

import static io.meshclient.core.TlsBackends.CLIENT_ID;
import static io.meshclient.core.TlsBackends.ORDERS_ID;
import static io.meshclient.core.TlsBackends.secure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.PeerIdentity;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.internal.tls.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Rotating the client certificate on disk under continuous traffic: new connections use it, no call fails. */
class CertificateRotationTest {
  private static final int CALLERS = 4;

  @RegisterExtension final TlsBackends backends = new TlsBackends();
  @TempDir Path dir;

  @Test
  void aRotatedClientCertificateIsUsedWithoutOneFailedCall() throws Exception {
    MockWebServer orders = backends.orders();
    backends.writeClientFiles(dir);
    TlsPolicy tls = TlsPolicy.builder()
        .certificateChain(dir.resolve("cert.pem"))
        .privateKey(dir.resolve("key.pem"))
        .trustBundle(dir.resolve("ca.pem"))
        .reloadInterval(Duration.ofMillis(500))
        .build();
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try (MeshClient mesh = MeshClient.builder()
        .tls(tls)
        .service("orders", s -> s.endpoints(secure(orders)).peerIdentity(PeerIdentity.spiffeId(ORDERS_ID)))
        .build()) {
      OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();
      List<Future<?>> loops = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        loops.add(callers.submit(() -> {
          while (!stop.get()) {
            try (Response response = client.newCall(new Request.Builder().url("http://orders/items").build()).execute()) {
              seen.add(response.body().string());
            } catch (Exception e) {
              failures.add(e);
            }
          }
        }));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= 50);
      String before = seen.get(0);

      TestPki.Issued rotated = backends.clientCa.issue("frontend", "URI:" + CLIENT_ID);
      // Certificate first, then key: the reloader may see the new certificate next to the old key
      // and must keep the old material until both files match.
      rotated.writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
      String after = CLIENT_ID + " serial " + rotated.certificate().getSerialNumber();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains(after));
      int swappedAt = seen.size();
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() >= swappedAt + 100);
      stop.set(true);
      for (Future<?> loop : loops) {
        loop.get(30, TimeUnit.SECONDS);
      }

      assertThat(failures).as("calls that failed across the rotation").isEmpty();
      assertThat(before).startsWith(CLIENT_ID).isNotEqualTo(after);
      assertThat(seen.subList(seen.size() - 50, seen.size())).as("calls started well after the swap").containsOnly(after);
    } finally {
      stop.set(true);
      callers.shutdownNow();
    }
  }
}
