package io.meshclient.discovery.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.Endpoint;
import io.meshclient.api.ServiceRegistration;
import io.meshclient.discovery.testing.EtcdServer;
import io.meshclient.discovery.testing.EtcdServerExtension;
import io.meshclient.discovery.testing.TcpProxy;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EtcdRegistration} against a real etcd. */
@ExtendWith(EtcdServerExtension.class)
class EtcdRegistrationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static String prefix(TestInfo test) {
    return "/reg/" + test.getTestMethod().orElseThrow().getName();
  }

  @Test
  void registersTheEndpointUnderALeaseAndKeepsTheLeaseAlive(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    Endpoint self = Endpoint.builder("10.0.0.7", 8080).zone("z1").label("version", "v2").build();
    try (EtcdRegistration registry = EtcdRegistration.create(etcd.uri(prefix, "ttl=6s"));
        ServiceRegistration.Registration r = registry.register("orders", self)) {
      String key = prefix + "/orders/10.0.0.7:8080";
      assertThat(keys.under(prefix)).isEqualTo(Map.of(key,
          "{\"host\":\"10.0.0.7\",\"port\":8080,\"zone\":\"z1\",\"labels\":{\"version\":\"v2\"}}"));
      long lease = keys.leaseOf(key);
      assertThat(lease).isEqualTo(((EtcdLease) r).lease()).isNotZero();
      assertThat(keys.grantedTtl(lease)).isEqualTo(6);

      // The lease's remaining time (whole seconds) goes down, then back up: a keep-alive renewed it.
      List<Long> remaining = new CopyOnWriteArrayList<>();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
        remaining.add(remainingTtl(keys, lease));
        return renewed(remaining);
      });
      assertThat(keys.leaseOf(key)).isEqualTo(lease);
    }
  }

  @Test
  void closingTheRegistrationDeletesTheKeyAtOnce(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    try (EtcdRegistration registry = EtcdRegistration.create(etcd.uri(prefix, "ttl=60s"))) {
      ServiceRegistration.Registration a = registry.register("orders", Endpoint.of("10.0.0.1", 80));
      registry.register("orders", Endpoint.builder("10.0.0.2", 80).id("second").build());
      assertThat(keys.under(prefix)).containsOnlyKeys(prefix + "/orders/10.0.0.1:80", prefix + "/orders/second");
      a.close();
      a.close();
      // Revoked, not left to lapse: a 60 s lease would still hold it.
      assertThat(keys.under(prefix)).containsOnlyKeys(prefix + "/orders/second");
    }
    assertThat(keys.under(prefix)).isEmpty();
  }

  @Test
  void aLeaseEtcdForgotIsGrantedAgainAndTheKeyWrittenAgain(EtcdServer etcd, TestInfo test) throws Exception {
    String prefix = prefix(test);
    EtcdKeys keys = new EtcdKeys(etcd);
    String key = prefix + "/orders/10.0.0.1:80";
    try (EtcdRegistration registry = EtcdRegistration.create(etcd.uri(prefix, "ttl=3s"));
        ServiceRegistration.Registration r = registry.register("orders", Endpoint.of("10.0.0.1", 80))) {
      long first = keys.leaseOf(key);
      keys.revoke(first);
      assertThat(keys.under(prefix)).isEmpty();
      await().atMost(WAIT).until(() -> keys.leaseOf(key) != 0);
      assertThat(keys.leaseOf(key)).isNotEqualTo(first).isEqualTo(((EtcdLease) r).lease());
    }
  }

  @Test
  void registeringFailsWithAnIoExceptionWhenEtcdCannotBeReached(TestInfo test) throws Exception {
    try (TcpProxy nothing = TcpProxy.to(1)) {
      nothing.refuse();
      try (EtcdRegistration registry = EtcdRegistration.create(URI.create("etcd://127.0.0.1:" + nothing.port() + "/x?timeout=1s"))) {
        assertThatThrownBy(() -> registry.register("orders", Endpoint.of("10.0.0.1", 80))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> registry.register("orders", Endpoint.builder("10.0.0.1", 80).id("a/b").build()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> registry.register("", Endpoint.of("10.0.0.1", 80)))
            .isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  private static long remainingTtl(EtcdKeys keys, long lease) throws IOException {
    return keys.remainingTtl(lease);
  }

  private static boolean renewed(List<Long> remaining) {
    long lowest = Long.MAX_VALUE;
    for (long ttl : remaining) {
      if (ttl > lowest) {
        return true;
      }
      lowest = Math.min(lowest, ttl);
    }
    return false;
  }
}
