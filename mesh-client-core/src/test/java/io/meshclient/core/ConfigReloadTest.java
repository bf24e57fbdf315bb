package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.meshclient.api.MeshConfigException;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.config.MeshConfigFile;
import io.meshclient.core.config.MeshConfigWatcher;
import io.meshclient.core.config.ReloadResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadTest {
  private final List<HttpServer> servers = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    servers.forEach(s -> s.stop(0));
  }

  /** A loopback server answering request n (from 1) with status {@code status.applyAsInt(n)} and its own port as body. */
  private HttpServer server(IntUnaryOperator status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger count = new AtomicInteger();
    server.createContext("/", exchange -> {
      int code = status.applyAsInt(count.incrementAndGet());
      byte[] body = String.valueOf(server.getAddress().getPort()).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    servers.add(server);
    return server;
  }

  private MeshClient mesh(String yaml) {
    MeshClient mesh = MeshClient.builder().config(MeshConfigFile.parseYaml(yaml)).build();
    closeables.add(mesh);
    return mesh;
  }

  private static String orders(int port, String policy) {
    return "services:\n  orders:\n    endpoints: [{host: 127.0.0.1, port: " + port + "}]\n"
        + "    circuitBreaker: {enabled: false}\n" + policy;
  }

  private static Response call(MeshClient mesh) throws IOException {
    return mesh.httpClient().newCall(new Request.Builder().url("http://orders/").build()).execute();
  }

  @Test
  void aCallInFlightFinishesOnThePolicyItStartedWith() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = server(n -> {
      requests.incrementAndGet();
      if (n == 1) {
        arrived.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return n <= 2 ? 503 : 200; // the first two requests fail, the rest succeed
    });
    int port = server.getAddress().getPort();
    MeshClient mesh = mesh(orders(port, "    retry: {maxAttempts: 1}\n"));

    CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> {
      try (Response r = call(mesh)) {
        return r.code();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
    ReloadResult result = mesh.reload(MeshConfigFile.parseYaml(
        orders(port, "    retry: {maxAttempts: 3, initialBackoff: 0}\n")));
    assertThat(result.applied()).containsExactly("services.orders: policy");
    assertThat(result.refused()).isEmpty();
    release.countDown();

    assertThat(inFlight.get(10, TimeUnit.SECONDS)).isEqualTo(503); // started with one attempt: not retried
    assertThat(requests.get()).isEqualTo(1);
    try (Response next = call(mesh)) {
      assertThat(next.code()).isEqualTo(200); // 503, then retried under the new policy
    }
    assertThat(requests.get()).isEqualTo(3);
    assertThat(mesh.config().services().get("orders").policy().retry().maxAttempts()).isEqualTo(3);
  }

  @Test
  void aNewBalancerAndNewFixedEndpointsApplyLive() throws Exception {
    int first = server(n -> 200).getAddress().getPort();
    int second = server(n -> 200).getAddress().getPort();
    MeshClient mesh = mesh(orders(first, ""));
    try (Response r = call(mesh)) {
      assertThat(r.body().string()).isEqualTo(String.valueOf(first));
    }

    ReloadResult result = mesh.reload(MeshConfigFile.parseYaml(orders(second, "    loadBalancer: round_robin\n")));

    assertThat(result.applied()).containsExactlyInAnyOrder("services.orders.endpoints", "services.orders: policy");
    assertThat(mesh.snapshot().service("orders").orElseThrow().loadBalancer()).isEqualTo("round_robin");
    for (int i = 0; i < 3; i++) {
      try (Response r = call(mesh)) {
        assertThat(r.body().string()).isEqualTo(String.valueOf(second));
      }
    }
  }

  @Test
  void newRoutesApplyLiveAndARouteToAnUnknownServiceIsRefused() throws Exception {
    int v1 = server(n -> 200).getAddress().getPort();
    int v2 = server(n -> 200).getAddress().getPort();
    String endpoints = "services:\n  orders:\n    endpoints:\n"
        + "      - {host: 127.0.0.1, port: " + v1 + ", labels: {version: v1}}\n"
        + "      - {host: 127.0.0.1, port: " + v2 + ", labels: {version: v2}}\n";
    MeshClient mesh = mesh(endpoints + "    routes: [{name: all-v1, destinations: [{subset: {version: v1}}]}]\n");
    for (int i = 0; i < 3; i++) {
      try (Response r = call(mesh)) {
        assertThat(r.body().string()).isEqualTo(String.valueOf(v1));
      }
    }

    mesh.reload(MeshConfigFile.parseYaml(endpoints + "    routes: [{name: all-v2, destinations: [{subset: {version: v2}}]}]\n"));

    for (int i = 0; i < 3; i++) {
      try (Response r = call(mesh)) {
        assertThat(r.body().string()).as("the reloaded route table is in force").isEqualTo(String.valueOf(v2));
      }
    }
    assertThatThrownBy(() -> mesh.reload(MeshConfigFile.parseYaml(
        endpoints + "    routes: [{name: elsewhere, destinations: [{service: billing}]}]\n")))
        .isInstanceOf(io.meshclient.api.MeshConfigException.class)
        .hasMessageContaining("services.orders.routes[0].destinations[0].service");
    try (Response r = call(mesh)) {
      assertThat(r.body().string()).as("an invalid reload changes nothing").isEqualTo(String.valueOf(v2));
    }
  }

  @Test
  void anInvalidConfigurationChangesNothing() throws Exception {
    int port = server(n -> 200).getAddress().getPort();
    String users = "  users:\n    endpoints: [{host: 127.0.0.1, port: " + port + "}]\n";
    MeshClient mesh = mesh(orders(port, "") + users);
    MeshConfig before = mesh.config();

    MeshConfig bad = MeshConfigFile.parseYaml(orders(port, "    loadBalancer: fastest\n")
        + users + "    retry: {maxAttempts: 5}\n");
    assertThatThrownBy(() -> mesh.reload(bad))
        .isInstanceOfSatisfying(MeshConfigException.class, e -> {
          assertThat(e.path()).isEqualTo("services.orders.loadBalancer");
          assertThat(e.value()).isEqualTo("fastest");
        });
    assertThat(mesh.config()).isEqualTo(before); // not even the valid part for users
  }

  @Test
  void whatARunningMeshCannotTakeIsRefusedAndTheRestApplied() throws Exception {
    int port = server(n -> 200).getAddress().getPort();
    MeshClient mesh = mesh(orders(port, ""));

    ReloadResult result = mesh.reload(MeshConfigFile.parseYaml("zone: eu-west-1a\n" + orders(port,
        "    timeouts: {timeout: 3s}\n    peerIdentity: {dnsNames: [orders.example]}\n")
        + "  users:\n    endpoints: [{host: 127.0.0.1, port: " + port + "}]\n"));

    assertThat(result.applied()).containsExactly("services.orders: policy");
    assertThat(result.refused()).hasSize(3).anySatisfy(line -> assertThat(line).startsWith("zone:"))
        .anySatisfy(line -> assertThat(line).startsWith("services.users:"))
        .anySatisfy(line -> assertThat(line).startsWith("services.orders.peerIdentity:"));
    MeshConfig now = mesh.config();
    assertThat(now.zone()).isNull();
    assertThat(now.services()).containsOnlyKeys("orders");
    assertThat(now.services().get("orders").policy().timeouts().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(now.services().get("orders").peerIdentity()).isNull();
    assertThat(result.config()).isEqualTo(now);
  }

  @Test
  void healthChecksStartAndStopWithTheConfiguration() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(exchange.getRequestURI().getPath().equals("/health") ? 503 : 200, -1);
      exchange.close();
    });
    server.start();
    servers.add(server);
    int port = server.getAddress().getPort();
    MeshClient mesh = mesh(orders(port, ""));
    assertThat(endpointHealthy(mesh)).isTrue();

    mesh.reload(MeshConfigFile.parseYaml(orders(port,
        "    healthCheck: {path: /health, interval: 50ms, jitter: 0, unhealthyThreshold: 1}\n")));
    await().atMost(Duration.ofSeconds(10)).until(() -> !endpointHealthy(mesh));

    ReloadResult off = mesh.reload(MeshConfigFile.parseYaml(orders(port, "")));
    assertThat(off.applied()).containsExactly("services.orders: policy");
    assertThat(endpointHealthy(mesh)).as("the verdict of checks that no longer run is dropped").isTrue();
  }

  private static boolean endpointHealthy(MeshClient mesh) {
    return mesh.snapshot().service("orders").orElseThrow().endpoints().get(0).healthy();
  }

  @Test
  void theWatcherAppliesEachValidVersionAndKeepsTheLastOnAnInvalidOne(@TempDir Path dir) throws Exception {
    int port = server(n -> 200).getAddress().getPort();
    Path file = dir.resolve("mesh.yaml");
    write(file, orders(port, "    retry: {maxAttempts: 1}\n"));
    MeshClient mesh = MeshClient.builder().config(MeshConfigFile.load(file)).build();
    closeables.add(mesh);
    MeshConfigWatcher watcher = MeshConfigWatcher.builder(file, mesh).pollInterval(Duration.ofMillis(200)).build();
    closeables.add(watcher);

    write(file, orders(port, "    retry: {maxAttempts: 2}\n"));
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.reloads() == 1);
    assertThat(mesh.config().services().get("orders").policy().retry().maxAttempts()).isEqualTo(2);

    write(file, orders(port, "    retry: {maxAttempts: 0}\n"));
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastError() != null);
    assertThat(watcher.lastError()).hasMessageContaining("services.orders.retry.maxAttempts: 0");
    assertThat(mesh.config().services().get("orders").policy().retry().maxAttempts()).isEqualTo(2);

    write(file, orders(port, "    retry: {maxAttempts: 4}\n"));
    await().atMost(Duration.ofSeconds(10)).until(() -> watcher.reloads() == 2);
    assertThat(watcher.lastError()).isNull();
    assertThat(mesh.config().services().get("orders").policy().retry().maxAttempts()).isEqualTo(4);
  }

  /** Replaces the file in one step, as a deployment tool or a ConfigMap update does. */
  private static void write(Path file, String content) throws IOException {
    Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
