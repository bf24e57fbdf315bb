package io.meshclient.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendsTest {
  @Test
  void eachBackendAnswersAKilobyteNamingItself() throws Exception {
    try (Backends backends = Backends.inProcess(4); OkHttpContender raw = OkHttpContender.raw(backends.ports())) {
      // Round robin over the four addresses: each call names the backend it went to.
      for (int i = 0; i < 8; i++) {
        assertThat(raw.call()).isEqualTo(i % 4);
      }
    }
  }

  @Test
  void aKilledBackendRefusesConnectionsUntilRevivedOnItsPort() throws Exception {
    try (Backends backends = Backends.inProcess(1); OkHttpContender raw = OkHttpContender.raw(backends.ports())) {
      int port = backends.ports().get(0);
      assertThat(raw.call()).isZero();
      backends.kill(0);
      assertThatThrownBy(raw::call).isInstanceOf(IOException.class);
      assertThatThrownBy(raw::call).isInstanceOf(ConnectException.class);
      backends.revive(0);
      assertThat(backends.ports()).containsExactly(port);
      assertThat(raw.call()).isZero();
    }
  }

  @Test
  void aFailingBackendAnswers503UntilReset() throws Exception {
    try (Backends backends = Backends.inProcess(1); OkHttpContender raw = OkHttpContender.raw(backends.ports())) {
      backends.failures(0, 1.0);
      assertThatThrownBy(raw::call).isInstanceOf(IOException.class).hasMessageContaining("HTTP 503");
      backends.reset(Duration.ZERO);
      assertThat(raw.call()).isZero();
      assertThatThrownBy(() -> backends.failures(0, 1.5)).hasMessageContaining("failure share: 1.5");
    }
  }

  @Test
  void theChildProcessObeysItsCommands() throws Exception {
    try (Backends backends = Backends.childProcess(2); OkHttpContender raw = OkHttpContender.raw(backends.ports())) {
      assertThat(backends.ports()).hasSize(2).doesNotHaveDuplicates();
      assertThat(List.of(raw.call(), raw.call())).containsExactly(0, 1);
      backends.delay(1, Duration.ofMillis(1));
      backends.failures(0, 1.0);
      assertThatThrownBy(raw::call).hasMessageContaining("HTTP 503");
      backends.failures(0, 0);
      assertThat(raw.call()).isEqualTo(1);
      backends.kill(1);
      assertThat(raw.call()).isZero();
      assertThatThrownBy(raw::call).isInstanceOf(IOException.class);
      backends.reset(Duration.ZERO);
      assertThat(List.of(raw.call(), raw.call())).containsExactly(0, 1);
    }
  }

  @Test
  void aBadIndexIsRefusedByTheChild() throws Exception {
    try (Backends backends = Backends.childProcess(1)) {
      assertThatThrownBy(() -> backends.kill(5))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("kill 5");
    }
  }
}
