package io.meshclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryTest {
  private static final Duration AWAIT = Duration.ofSeconds(15);
  private static final Endpoint A = Endpoint.builder("10.0.0.1", 80).zone("z1").build();
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);
  private static final Endpoint C = Endpoint.builder("10.0.0.3", 80).weight(5).healthy(false).label("version", "v2").build();

  @TempDir
  Path dir;

  private FileDiscovery source;

  @AfterEach
  void close() {
    if (source != null) {
      source.close();
    }
  }

  @Test
  void pushesTheCurrentEndpointsAtOnceThenEveryChangeSeenByTheWatchService() throws IOException {
    Path file = write("endpoints.yaml", yaml("orders", A, B));
    // Polling only every hour: a change seen within the test comes from the watch service.
    source = FileDiscovery.builder(file).pollInterval(Duration.ofHours(1)).build();
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);
    assertThat(listener.sets).containsExactly(EndpointSet.of(A, B));

    swap(file, yaml("orders", A, B, C));
    await().atMost(AWAIT).until(() -> EndpointSet.of(A, B, C).equals(listener.last()));

    swap(file, yaml("orders", C));
    await().atMost(AWAIT).until(() -> EndpointSet.of(C).equals(listener.last()));
    assertThat(listener.errors).isEmpty();
  }

  @Test
  void anInvalidVersionIsReportedWithItsLineAndTheLastGoodSetStays() throws IOException {
    Path file = write("endpoints.yaml", yaml("orders", A));
    source = FileDiscovery.builder(file).pollInterval(Duration.ofHours(1)).build();
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    Files.writeString(file, "services:\n  orders:\n    endpoints:\n      - {host: 10.0.0.9, port: 0}\n");
    // Written in place, so a reader may first see it half written: wait for the final version's error.
    String expected = file + " line 4: services.orders.endpoints[0].port: 0 (expected: 1..65535)";
    await().atMost(AWAIT).until(() -> listener.lastError() != null && expected.equals(listener.lastError().getMessage()));
    assertThat(listener.sets).as("nothing dropped").containsExactly(EndpointSet.of(A));

    swap(file, yaml("orders", B));
    await().atMost(AWAIT).until(() -> EndpointSet.of(B).equals(listener.last()));
  }

  @Test
  void aDeletedFileIsAnOutageAndItsReturnARecovery() throws IOException {
    Path file = write("endpoints.json", json("orders", A));
    source = FileDiscovery.builder(file).pollInterval(Duration.ofHours(1)).build();
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    Files.delete(file);
    await().atMost(AWAIT).until(() -> !listener.errors.isEmpty());
    assertThat(listener.lastError()).hasMessage(file + ": no such file");

    write("endpoints.json", json("orders", A));
    await().atMost(AWAIT).until(() -> listener.sets.size() == 2);
    assertThat(listener.last()).as("the same set again: the outage is over").isEqualTo(EndpointSet.of(A));
  }

  @Test
  void withoutTheWatchServiceTheFileIsPolled() throws IOException {
    Path file = write("endpoints.yaml", yaml("orders", A));
    source = FileDiscovery.builder(file).watch(false).pollInterval(Duration.ofMillis(20)).build();
    RecordingListener listener = new RecordingListener();
    source.watch("orders", listener);

    swap(file, yaml("orders", B));
    await().atMost(AWAIT).until(() -> EndpointSet.of(B).equals(listener.last()));
  }

  @Test
  void aServiceTheFileStopsListingIsAnErrorNotAnEmptySet() throws IOException {
    Path file = write("endpoints.yaml", yaml("orders", A) + "  users:\n    endpoints: []\n");
    source = FileDiscovery.builder(file).pollInterval(Duration.ofHours(1)).build();
    RecordingListener orders = new RecordingListener();
    RecordingListener users = new RecordingListener();
    source.watch("orders", orders);
    source.watch("users", users);
    assertThat(users.sets).containsExactly(EndpointSet.empty());

    swap(file, yaml("users", B));
    await().atMost(AWAIT).until(() -> !orders.errors.isEmpty() && EndpointSet.of(B).equals(users.last()));
    assertThat(orders.lastError()).hasMessage(file + " no longer lists service 'orders'; keeping its last endpoints");
    assertThat(orders.sets).containsExactly(EndpointSet.of(A));

    assertThatThrownBy(() -> source.watch("billing", new RecordingListener()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(file + " does not list service 'billing'; it lists [users]");
  }

  @Test
  void aMeshFindsTheSourceByUriAndRoutesEveryServiceTheFileLists() throws IOException {
    Path file = write("endpoints.yaml", yaml("orders", A, C) + "  users:\n    endpoints:\n      - {host: 10.0.0.2, port: 80}\n");
    try (MeshClient mesh = MeshClient.builder().discovery("file:" + file + "?poll=1h")
        .service("orders", s -> {})
        .service("users", s -> {})
        .build()) {
      assertThat(endpoints(mesh, "orders")).containsExactly(A, C);
      assertThat(endpoints(mesh, "users")).containsExactly(B);

      swap(file, yaml("orders", B) + "  users:\n    endpoints: []\n");
      await().atMost(AWAIT).until(() -> endpoints(mesh, "orders").equals(java.util.List.of(B)));
      assertThat(mesh.snapshot().service("orders").orElseThrow().discovery().source()).isEqualTo("file:" + file + "?poll=1h");
    }
  }

  @Test
  void badUriSettingsAreConfigurationErrors() {
    assertThatThrownBy(() -> MeshClient.builder().discovery("file:/etc/mesh/endpoints.yaml?poll=often").service("orders", s -> {}).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("discovery.poll: \"often\" (expected: a duration such as 500ms, 5s, 2m or PT5S)");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("file:/etc/mesh/endpoints.yaml?refresh=1s")).build())
        .hasMessage("services.orders.discovery.refresh: \"1s\" (expected: a setting this source knows: one of [poll, watch])");
    assertThatThrownBy(() -> MeshClient.builder().service("orders", s -> s.discovery("file://host/endpoints.yaml")).build())
        .hasMessage("services.orders.discovery: \"file://host/endpoints.yaml\" (expected: a local file, no host: "
            + "file:/absolute/path.yaml, file:///absolute/path.json or file:relative/path.yaml)");
  }

  private static java.util.List<Endpoint> endpoints(MeshClient mesh, String service) {
    return mesh.snapshot().service(service).orElseThrow().endpoints().stream().map(MeshSnapshot.EndpointSnapshot::endpoint).toList();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  /** Replaces the file the way deployment tools do: a new file moved over the old one. */
  private void swap(Path file, String content) throws IOException {
    Path next = Files.writeString(dir.resolve(file.getFileName() + ".next"), content);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static String yaml(String service, Endpoint... endpoints) {
    StringBuilder s = new StringBuilder("services:\n  " + service + ":\n    endpoints:\n");
    for (Endpoint e : endpoints) {
      s.append("      - host: ").append(e.host()).append("\n        port: ").append(e.port()).append('\n');
      if (e.zone() != null) {
        s.append("        zone: ").append(e.zone()).append('\n');
      }
      s.append("        weight: ").append(e.weight()).append("\n        healthy: ").append(e.healthy()).append('\n');
      e.labels().forEach((k, v) -> s.append("        labels: {").append(k).append(": ").append(v).append("}\n"));
    }
    return s.toString();
  }

  static String json(String service, Endpoint endpoint) {
    return new String(("{\"services\": {\"" + service + "\": {\"endpoints\": [{\"host\": \"" + endpoint.host()
        + "\", \"port\": " + endpoint.port() + (endpoint.zone() == null ? "" : ", \"zone\": \"" + endpoint.zone() + "\"")
        + "}]}}}").getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}
