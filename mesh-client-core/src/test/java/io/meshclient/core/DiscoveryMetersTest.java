package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.core.metrics.DiscoveryMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The staleness gauge follows a source's outage and recovery, read at scrape time. */
class DiscoveryMetersTest {
  private final MutableClock clock = new MutableClock();
  private final ControlledSource source = new ControlledSource();

  @Test
  void theGaugesShowHowLongASourceHasBeenFailingAndClearWhenItAnswers() {
    try (MeshClient mesh = MeshClient.builder().clock(clock).discovery(source).service("orders", s -> {}).build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new DiscoveryMeters(mesh).bindTo(registry);
      source.push(EndpointSet.of(Endpoint.of("10.0.0.1", 80)));
      assertThat(staleness(registry)).isZero();
      assertThat(failing(registry)).isZero();

      source.fail(new IOException("registry unreachable"));
      clock.advance(Duration.ofSeconds(42));
      assertThat(staleness(registry)).isEqualTo(42.0);
      assertThat(failing(registry)).isEqualTo(1.0);

      source.push(EndpointSet.of(Endpoint.of("10.0.0.2", 80)));
      assertThat(staleness(registry)).isZero();
      assertThat(failing(registry)).isZero();
    }
  }

  @Test
  void aServiceTheMeshDoesNotRouteHasNoDiscoveryHealth() {
    try (MeshClient mesh = MeshClient.builder().discovery(source).service("orders", s -> {}).build()) {
      assertThat(mesh.discovery("orders")).isPresent();
      assertThat(mesh.discovery("billing")).isEmpty();
    }
  }

  private static double staleness(SimpleMeterRegistry registry) {
    return registry.get("mesh.discovery.staleness").tag("service", "orders").gauge().value();
  }

  private static double failing(SimpleMeterRegistry registry) {
    return registry.get("mesh.discovery.failing").tag("service", "orders").gauge().value();
  }
}
