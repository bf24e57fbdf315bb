package io.meshclient.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every contender makes working calls over the same backends, and the ones that promise to survive
 * a dead backend do: the comparison is between clients that all work.
 */
class ContendersTest {
  @Test
  void rawOkHttpSpreadsCallsButFailsOnADeadBackend() throws Exception {
    try (Backends backends = Backends.inProcess(4); Contender raw = OkHttpContender.raw(backends.ports())) {
      assertThat(backendsReached(raw, 8)).containsExactlyInAnyOrder(0, 1, 2, 3);
      backends.kill(3);
      // Round robin reaches the dead address within four calls; raw OkHttp has no one else to ask.
      assertThatThrownBy(() -> backendsReached(raw, 4)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void meshClientBalancesAndRoutesAroundADeadBackend() throws Exception {
    try (Backends backends = Backends.inProcess(4); Contender mesh = new MeshContender(backends.ports())) {
      assertThat(backendsReached(mesh, 40)).isNotEmpty().isSubsetOf(0, 1, 2, 3);
      backends.kill(3);
      assertThat(backendsReached(mesh, 40)).isNotEmpty().doesNotContain(3);
    }
  }

  @Test
  void springCloudLoadBalancerRoundRobinsAndRetriesPastADeadBackend() throws Exception {
    try (Backends backends = Backends.inProcess(4); Contender spring = new SpringContender(backends.ports())) {
      assertThat(backendsReached(spring, 8)).containsExactlyInAnyOrder(0, 1, 2, 3);
      backends.kill(3);
      // Its retry on the next instance answers every call the dead one would have had.
      assertThat(backendsReached(spring, 20)).containsExactlyInAnyOrder(0, 1, 2);
    }
  }

  @Test
  void theNginxSidecarBalancesAndRetriesPastADeadBackend() throws Exception {
    Assumptions.assumeTrue(NginxProxy.available(), "nginx is not installed (.ci/run installs Debian's nginx)");
    try (Backends backends = Backends.inProcess(4); ProxyContender proxy = ProxyContender.open(backends.ports())) {
      assertThat(backendsReached(proxy, 40)).containsExactlyInAnyOrder(0, 1, 2, 3);
      assertThat(proxy.outsideMemoryBytes()).isPositive();
      backends.kill(3);
      assertThat(backendsReached(proxy, 20)).containsExactlyInAnyOrder(0, 1, 2);
    }
  }

  @Test
  void theNginxConfigurationNamesEveryBackendAndTheSidecarDefaults() {
    String config = NginxProxy.config(List.of(7001, 7002), 8080);
    assertThat(config)
        .contains("server 127.0.0.1:7001 max_fails=1 fail_timeout=10s;")
        .contains("server 127.0.0.1:7002 max_fails=1 fail_timeout=10s;")
        .contains("least_conn;")
        .contains("listen 127.0.0.1:8080;")
        .contains("proxy_next_upstream_tries 3;");
  }

  private static Set<Integer> backendsReached(Contender contender, int calls) throws Exception {
    Set<Integer> reached = new HashSet<>();
    for (int i = 0; i < calls; i++) {
      reached.add(contender.call());
    }
    return reached;
  }
}
