package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A failing source never empties a service: the last known good set stays, and the snapshot says how stale it is. */
class DiscoveryHealthTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);

  private final MutableClock clock = new MutableClock();
  private final ControlledSource source = new ControlledSource();

  @Test
  void anOutageKeepsTheLastKnownGoodSetAndReportsHowLongItHasLasted() {
    try (MeshClient mesh = MeshClient.builder().clock(clock).discovery(source).service("orders", s -> {}).build()) {
      assertThat(discovery(mesh).answered()).isFalse();
      Instant first = clock.instant();
      source.push(EndpointSet.of(A, B));
      assertThat(discovery(mesh)).isEqualTo(new MeshSnapshot.DiscoverySnapshot("controlled", first, null, Duration.ZERO, null));

      clock.advance(Duration.ofSeconds(10));
      Instant outage = clock.instant();
      source.fail(new IOException("connection refused"));
      clock.advance(Duration.ofSeconds(5));
      source.fail(new IOException("timed out"));
      clock.advance(Duration.ofSeconds(2));

      MeshSnapshot.ServiceSnapshot orders = mesh.snapshot().service("orders").orElseThrow();
      assertThat(orders.endpoints()).extracting(MeshSnapshot.EndpointSnapshot::endpoint).containsExactly(A, B);
      assertThat(orders.discovery().failing()).isTrue();
      assertThat(orders.discovery().failingSince()).as("the outage began with its first error").isEqualTo(outage);
      assertThat(orders.discovery().staleFor()).isEqualTo(Duration.ofSeconds(7));
      assertThat(orders.discovery().error()).isEqualTo("java.io.IOException: timed out");
      assertThat(orders.discovery().lastUpdate()).isEqualTo(first);

      source.push(EndpointSet.of(B));
      orders = mesh.snapshot().service("orders").orElseThrow();
      assertThat(orders.endpoints()).extracting(MeshSnapshot.EndpointSnapshot::endpoint).containsExactly(B);
      assertThat(orders.discovery()).isEqualTo(
          new MeshSnapshot.DiscoverySnapshot("controlled", clock.instant(), null, Duration.ZERO, null));
    }
  }

  @Test
  void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
    String log = capturingStandardError(() -> {
      try (MeshClient mesh = MeshClient.builder().clock(clock).discovery(source).service("orders", s -> {}).build()) {
        source.push(EndpointSet.of(A));
        for (int i = 0; i < 5; i++) {
          source.fail(new IOException("refused " + i));
        }
        clock.advance(Duration.ofSeconds(3));
        source.push(EndpointSet.of(A));
        source.push(EndpointSet.of(A, B));
      }
    });
    assertThat(log).containsOnlyOnce("WARN").containsOnlyOnce("INFO")
        .contains("discovery source 'controlled' of service 'orders' failed; keeping the last 1 known endpoint(s) until it recovers")
        .contains("java.io.IOException: refused 0")
        .contains("discovery source 'controlled' of service 'orders' recovered after 3000 ms; 1 endpoint(s)")
        .doesNotContain("refused 1");
  }

  private static MeshSnapshot.DiscoverySnapshot discovery(MeshClient mesh) {
    return mesh.snapshot().service("orders").orElseThrow().discovery();
  }

  /** slf4j-simple writes to the current {@code System.err}; the lines written while {@code body} runs. */
  private static String capturingStandardError(Runnable body) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
