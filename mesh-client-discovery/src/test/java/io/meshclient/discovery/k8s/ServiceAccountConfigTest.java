package io.meshclient.discovery.k8s;

import static io.meshclient.discovery.k8s.Slices.ready;
import static io.meshclient.discovery.k8s.Slices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.discovery.testing.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-cluster configuration: service-account files, and a token re-read as it rotates. */
@EnableKubernetesMockClient(crud = true, https = false)
class ServiceAccountConfigTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path mount;

  @Test
  void outsideAPodThereIsNoInClusterConfiguration() throws Exception {
    assertThat(ServiceAccountConfig.inCluster(Map.of(), mount)).isNull();
    assertThat(ServiceAccountConfig.inCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"),
        mount)).isNull(); // no token mounted
  }

  @Test
  void inAPodTheApiServerNamespaceAndCaComeFromTheEnvironmentAndTheMount() throws Exception {
    Files.writeString(mount.resolve("token"), "t0");
    Files.writeString(mount.resolve("namespace"), "prod\n");
    Files.writeString(mount.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    Config config = ServiceAccountConfig.inCluster(
        Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"), mount);
    assertThat(config.getMasterUrl()).isEqualTo("https://10.96.0.1:443/");
    assertThat(config.getNamespace()).isEqualTo("prod");
    assertThat(config.getCaCertFile()).isEqualTo(mount.resolve("ca.crt").toString());
    assertThat(config.getOauthTokenProvider().getToken()).isEqualTo("t0");
  }

  @Test
  void aRotatedTokenIsUsedFromTheNextRequestOn() throws Exception {
    Files.writeString(mount.resolve("token"), "first-token\n");
    Files.writeString(mount.resolve("namespace"), "test");
    client.discovery().v1().endpointSlices().inNamespace("test").resource(slice("orders-a", "orders", ready("10.0.0.1"))).create();
    client.discovery().v1().endpointSlices().inNamespace("test").resource(slice("users-a", "users", ready("10.0.0.2"))).create();
    Config config = ServiceAccountConfig.config(mount, server.url("/"));
    RecordingListener orders = new RecordingListener();
    RecordingListener users = new RecordingListener();
    try (KubernetesClient pod = new KubernetesClientBuilder().withConfig(config).build();
        KubernetesDiscovery k8s = KubernetesDiscovery.builder().client(pod).build();
        ServiceDiscovery.Subscription o = k8s.watch("orders", orders)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> orders.latest() != null);
      assertThat(authorizationOfListFor("orders")).isEqualTo("Bearer first-token");

      // The kubelet swaps the file for a new one.
      Path next = Files.writeString(mount.resolve(".token.new"), "second-token\n", StandardCharsets.UTF_8);
      Files.move(next, mount.resolve("token"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (ServiceDiscovery.Subscription u = k8s.watch("users", users)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> users.latest() != null);
        assertThat(authorizationOfListFor("users")).isEqualTo("Bearer second-token");
      }
    }
  }

  private String authorizationOfListFor(String service) throws InterruptedException {
    RecordedRequest request;
    while ((request = server.takeRequest(5, TimeUnit.SECONDS)) != null) {
      if (request.getPath().contains("service-name%3D" + service) && !request.getPath().contains("watch=true")) {
        return request.getHeader("Authorization");
      }
    }
    throw new AssertionError("no list request for " + service);
  }
}
