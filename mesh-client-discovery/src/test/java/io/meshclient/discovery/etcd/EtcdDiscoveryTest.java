package io.meshclient.discovery.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.discovery.testing.EtcdServer;
import io.meshclient.discovery.testing.EtcdServerExtension;
import io.meshclient.discovery.testing.RecordingListener;
import io.meshclient.discovery.testing.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EtcdDiscovery} against a real etcd. Each test uses its own key prefix. */
@ExtendWith(EtcdServerExtension.class)
class EtcdDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static String prefix(TestInfo test) {
    return "/test/" + test.getTestMethod().orElseThrow().getName();
  }

  @Test
  void pushesTheServicesKeysThenEveryChange(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    keys.put(prefix + "/orders/a", "{\"host\":\"10.0.0.1\",\"port\":8080,\"zone\":\"z1\",\"weight\":2,\"labels\":{\"version\":\"v1\"}}");
    keys.put(prefix + "/orders/b", EtcdKeys.endpoint("10.0.0.2", 8080));
    keys.put(prefix + "/orders-v2/x", EtcdKeys.endpoint("10.9.9.9", 8080)); // another service: not ours
    keys.put(prefix + "/users/c", EtcdKeys.endpoint("10.0.0.3", 8080));
    RecordingListener listener = new RecordingListener();
    try (EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(prefix));
        ServiceDiscovery.Subscription s = discovery.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> listener.latest() != null);
      assertThat(listener.latest().endpoints()).containsExactly(
          Endpoint.builder("10.0.0.1", 8080).id("a").zone("z1").weight(2).label("version", "v1").build(),
          Endpoint.builder("10.0.0.2", 8080).id("b").build());

      keys.put(prefix + "/orders/c", EtcdKeys.endpoint("10.0.0.4", 8080));
      await().atMost(WAIT).until(() -> List.of("a", "b", "c").equals(listener.latestIds()));
      keys.put(prefix + "/orders/a", EtcdKeys.endpoint("10.0.0.1", 9090));
      await().atMost(WAIT).until(() -> listener.latest().endpoints().get(0).port() == 9090);
      keys.delete(prefix + "/orders/b");
      await().atMost(WAIT).until(() -> List.of("a", "c").equals(listener.latestIds()));
      keys.put(prefix + "/users/d", EtcdKeys.endpoint("10.0.0.5", 8080)); // not ours: no push
      keys.delete(prefix + "/orders/a");
      keys.delete(prefix + "/orders/c");
      await().atMost(WAIT).until(() -> List.of().equals(listener.latestIds()));
    }
    assertThat(listener.sets()).hasSize(6); // one per change of orders; none for users/d
    assertThat(listener.errors()).isEmpty();
    assertThat(listener.overlapped()).isFalse();
  }

  @Test
  void aServiceWithNoKeysIsAnEmptyAnswerNotAnError(EtcdServer etcd, TestInfo test) throws Exception {
    RecordingListener listener = new RecordingListener();
    try (EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(prefix(test)));
        ServiceDiscovery.Subscription s = discovery.watch("nothing", listener)) {
      await().atMost(WAIT).until(() -> listener.latest() != null);
      assertThat(listener.latest().isEmpty()).isTrue();
      new EtcdKeys(etcd).put(prefix(test) + "/nothing/a", EtcdKeys.endpoint("10.0.0.1", 80));
      await().atMost(WAIT).until(() -> List.of("a").equals(listener.latestIds()));
    }
    assertThat(listener.errors()).isEmpty();
  }

  @Test
  void aValueThatCannotBeReadIsReportedAndTheEndpointKeepsItsLastGoodValue(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    keys.put(prefix + "/orders/a", EtcdKeys.endpoint("10.0.0.1", 8080));
    keys.put(prefix + "/orders/bad", "{\"host\":\"10.0.0.9\"}"); // no port: left out, reported
    RecordingListener listener = new RecordingListener();
    try (EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(prefix));
        ServiceDiscovery.Subscription s = discovery.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> !listener.errors().isEmpty());
      assertThat(listener.latestIds()).containsExactly("a");
      assertThat(listener.errors().get(0)).isInstanceOf(MeshConfigException.class)
          .hasMessage(prefix + "/orders/bad.port: null (expected: a whole number 1..65535)");

      keys.put(prefix + "/orders/a", "{\"host\":\"10.0.0.1\",\"port\":80"); // truncated: a keeps 8080
      keys.put(prefix + "/orders/b", EtcdKeys.endpoint("10.0.0.2", 8080));
      await().atMost(WAIT).until(() -> List.of("a", "b").equals(listener.latestIds()));
      await().atMost(WAIT).until(() -> listener.errors().size() >= 2);
      assertThat(listener.latest().endpoints().get(0).port()).isEqualTo(8080);
      assertThat(listener.errors().get(1)).hasMessageStartingWith(prefix + "/orders/a: ").hasMessageContaining("line 1");

      keys.put(prefix + "/orders/a/nested", EtcdKeys.endpoint("10.0.0.3", 8080));
      await().atMost(WAIT).until(() -> listener.errors().size() >= 3);
      assertThat(listener.errors().get(2)).hasMessageContaining("an id without '/'");
      assertThat(listener.latestIds()).containsExactly("a", "b");
    }
    assertThat(listener.pushedAnEmptySet()).isFalse();
  }

  @Test
  void anOutageIsReportedWithoutEmptyingTheSetAndTheWatchRecovers(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    keys.put(prefix + "/orders/a", EtcdKeys.endpoint("10.0.0.1", 8080));
    RecordingListener listener = new RecordingListener();
    try (EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(prefix, "timeout=1s"));
        ServiceDiscovery.Subscription s = discovery.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> List.of("a").equals(listener.latestIds()));
      etcd.stop();
      await().atMost(WAIT).until(() -> !listener.errors().isEmpty());
      assertThat(listener.sets()).hasSize(1);

      etcd.restart();
      keys.put(prefix + "/orders/b", EtcdKeys.endpoint("10.0.0.2", 8080));
      await().atMost(WAIT).until(() -> List.of("a", "b").equals(listener.latestIds()));
    } finally {
      if (!etcd.running()) {
        etcd.restart();
      }
    }
    assertThat(listener.pushedAnEmptySet()).isFalse();
  }

  @Test
  void aDroppedWatchResumesFromTheLastRevisionAndSeesWhatItMissed(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    keys.put(prefix + "/orders/a", EtcdKeys.endpoint("10.0.0.1", 8080));
    RecordingListener listener = new RecordingListener();
    try (TcpProxy proxy = TcpProxy.to(etcd.clientPort());
        EtcdDiscovery discovery = EtcdDiscovery.create(URI.create("etcd://127.0.0.1:" + proxy.port() + prefix));
        ServiceDiscovery.Subscription s = discovery.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> List.of("a").equals(listener.latestIds()));
      proxy.refuse();
      keys.put(prefix + "/orders/b", EtcdKeys.endpoint("10.0.0.2", 8080));
      keys.delete(prefix + "/orders/a");
      await().atMost(WAIT).until(() -> !listener.errors().isEmpty());
      proxy.accept();
      await().atMost(WAIT).until(() -> List.of("b").equals(listener.latestIds()));
      assertThat(((ServiceWatch) s).lists()).isEqualTo(1); // resumed, not listed again
    }
    assertThat(listener.pushedAnEmptySet()).isFalse();
  }

  @Test
  void aWatchWhoseRevisionWasCompactedListsAgain(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    keys.put(prefix + "/orders/a", EtcdKeys.endpoint("10.0.0.1", 8080));
    RecordingListener listener = new RecordingListener();
    try (TcpProxy proxy = TcpProxy.to(etcd.clientPort());
        EtcdDiscovery discovery = EtcdDiscovery.create(URI.create("etcd://127.0.0.1:" + proxy.port() + prefix));
        ServiceDiscovery.Subscription s = discovery.watch("orders", listener)) {
      await().atMost(WAIT).until(() -> List.of("a").equals(listener.latestIds()));
      proxy.refuse();
      keys.put(prefix + "/orders/b", EtcdKeys.endpoint("10.0.0.2", 8080));
      long revision = keys.put(prefix + "/orders/c", EtcdKeys.endpoint("10.0.0.3", 8080));
      keys.compact(revision);
      proxy.accept();
      await().atMost(WAIT).until(() -> List.of("a", "b", "c").equals(listener.latestIds()));
      assertThat(((ServiceWatch) s).lists()).isEqualTo(2);
    }
  }

  @Test
  void aSecondMemberTakesOverWhenTheFirstCannotBeReached(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    new EtcdKeys(etcd).put(prefix + "/orders/a", EtcdKeys.endpoint("10.0.0.1", 8080));
    RecordingListener listener = new RecordingListener();
    try (TcpProxy dead = TcpProxy.to(etcd.clientPort())) {
      dead.refuse();
      URI uri = URI.create("etcd://127.0.0.1:" + dead.port() + ",127.0.0.1:" + etcd.clientPort() + prefix);
      try (EtcdDiscovery discovery = EtcdDiscovery.create(uri);
          ServiceDiscovery.Subscription s = discovery.watch("orders", listener)) {
        await().atMost(WAIT).until(() -> List.of("a").equals(listener.latestIds()));
      }
    }
    assertThat(listener.errors()).isEmpty();
  }

  @Test
  void closingStopsTheWatchThreadAndRefusesNewWatches(EtcdServer etcd, TestInfo test) throws Exception {
    AtomicInteger pushes = new AtomicInteger();
    EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(prefix(test)));
    discovery.watch("orders", endpoints -> pushes.incrementAndGet());
    await().atMost(WAIT).until(() -> pushes.get() == 1);
    discovery.close();
    await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals("mesh-etcd-watch-orders") && t.isAlive()));
    new EtcdKeys(etcd).put(prefix(test) + "/orders/a", EtcdKeys.endpoint("10.0.0.1", 80));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> discovery.watch("orders", e -> {}))
        .isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EtcdDiscovery.create(etcd.uri(prefix(test))).watch("a/b", e -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without '/'");
    assertThat(pushes.get()).isEqualTo(1);
  }
}
