package io.meshclient.discovery.etcd;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.Endpoint;
import io.meshclient.api.ServiceRegistration;
import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import io.meshclient.discovery.testing.EtcdServer;
import io.meshclient.discovery.testing.EtcdServerExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One process registers in a real etcd, a mesh in another discovers it and calls it, the first
 * stops, and the mesh sees it go.
 */
@ExtendWith(EtcdServerExtension.class)
class EtcdEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private WireMockServer orders;

  @BeforeEach
  void startTheRegisteredServer() {
    orders = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    orders.start();
    orders.stubFor(get(urlEqualTo("/hello")).willReturn(aResponse().withStatus(200).withBody("hello from orders")));
  }

  @AfterEach
  void stopTheRegisteredServer() {
    orders.stop();
  }

  @Test
  void aProcessThatDiesIsDroppedWhenItsLeaseLapses(EtcdServer etcd) throws Exception {
    String prefix = "/e2e/killed";
    Process registering = new ProcessBuilder(javaBinary(), "-cp", testClassPath(), RegisteringProcess.class.getName(),
        etcd.uri(prefix, "ttl=2s").toString(), "orders", "127.0.0.1", Integer.toString(orders.port()))
        .redirectErrorStream(true).start();
    try (EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(prefix));
        MeshClient mesh = MeshClient.builder().discovery(discovery).service("orders", s -> {}).build()) {
      assertThat(firstLine(registering)).isEqualTo("REGISTERED");
      await().atMost(WAIT).until(() -> addresses(mesh).equals(List.of("127.0.0.1:" + orders.port())));
      assertThat(call(mesh)).isEqualTo("hello from orders");

      registering.destroyForcibly(); // no revoke: etcd drops the key when the 2 s lease lapses
      assertThat(registering.waitFor(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(WAIT).until(() -> addresses(mesh).isEmpty());
    } finally {
      registering.destroyForcibly();
    }
  }

  @Test
  void aServiceThatClosesItsRegistrationIsDroppedAtOnce(EtcdServer etcd) throws Exception {
    String prefix = "/e2e/closed";
    try (EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(prefix));
        MeshClient mesh = MeshClient.builder().discovery(discovery).service("orders", s -> {}).build();
        EtcdRegistration registry = EtcdRegistration.create(etcd.uri(prefix, "ttl=60s"))) {
      ServiceRegistration.Registration registration = registry.register("orders", Endpoint.of("127.0.0.1", orders.port()));
      await().atMost(WAIT).until(() -> addresses(mesh).size() == 1);
      assertThat(call(mesh)).isEqualTo("hello from orders");
      registration.close();
      // The lease is 60 s: only the revoke can make it go within the wait.
      await().atMost(WAIT).until(() -> addresses(mesh).isEmpty());
    }
  }

  private static String call(MeshClient mesh) throws Exception {
    try (Response response = mesh.httpClient().newCall(new Request.Builder().url("http://orders/hello").build()).execute()) {
      return response.body().string();
    }
  }

  private static List<String> addresses(MeshClient mesh) {
    return mesh.snapshot().service("orders").orElseThrow().endpoints().stream()
        .map(MeshSnapshot.EndpointSnapshot::endpoint).map(Endpoint::address).toList();
  }

  private static String firstLine(Process process) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        String l;
        while ((l = out.readLine()) != null && !l.equals("REGISTERED")) {
          System.out.println("[registering process] " + l);
        }
        return l;
      } catch (java.io.IOException e) {
        return e.toString();
      }
    });
    return line.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private static String javaBinary() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  private static String testClassPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }
}
