package io.meshclient.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServiceDiscovery;
import org.junit.jupiter.api.Test;

class CompositeDiscoveryTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);
  private static final Endpoint C = Endpoint.of("10.0.0.3", 80);

  private final ManualSource primary = new ManualSource("primary", "orders");
  private final ManualSource fallback = new ManualSource("fallback", "orders");
  private final RecordingListener listener = new RecordingListener();

  @Test
  void byPriorityTheFirstSourceWithEndpointsWinsAndTheNextTakesOverWhenItFails() {
    CompositeDiscovery.priority(primary, fallback).watch("orders", listener);

    fallback.push(EndpointSet.of(C));
    assertThat(listener.last()).as("only the fallback has answered").isEqualTo(EndpointSet.of(C));
    primary.push(EndpointSet.of(A, B));
    assertThat(listener.last()).isEqualTo(EndpointSet.of(A, B));

    primary.fail("api server unreachable");
    assertThat(listener.last()).as("falls back while the primary fails").isEqualTo(EndpointSet.of(C));
    assertThat(listener.errors).isEmpty();

    primary.push(EndpointSet.of(B));
    assertThat(listener.last()).as("the primary wins again when it answers").isEqualTo(EndpointSet.of(B));
  }

  @Test
  void byPriorityAnEmptyAnswerFallsBackToo() {
    CompositeDiscovery.priority(primary, fallback).watch("orders", listener);
    primary.push(EndpointSet.of(A));
    fallback.push(EndpointSet.of(C));
    primary.push(EndpointSet.empty());
    assertThat(listener.last()).isEqualTo(EndpointSet.of(C));
    fallback.push(EndpointSet.empty());
    assertThat(listener.last()).as("every source says none: none").isEqualTo(EndpointSet.empty());
  }

  @Test
  void byPriorityAFailureWithNothingToFallBackOnIsReportedAndNothingIsEmptied() {
    CompositeDiscovery.priority(primary, fallback).watch("orders", listener);
    primary.push(EndpointSet.of(A));
    fallback.push(EndpointSet.empty());
    primary.fail("down");

    assertThat(listener.sets).containsExactly(EndpointSet.of(A));
    assertThat(listener.lastError()).hasMessage("down");

    primary.push(EndpointSet.of(A));
    assertThat(listener.sets).as("recovery with the same set is still pushed, so the mesh knows")
        .containsExactly(EndpointSet.of(A), EndpointSet.of(A));
  }

  @Test
  void mergedIsTheUnionByIdAndAFailingSourceKeepsItsLastSet() {
    CompositeDiscovery.merged(primary, fallback).watch("orders", listener);
    Endpoint aElsewhere = Endpoint.builder("10.9.9.9", 80).id(A.id()).build();
    primary.push(EndpointSet.of(A, B));
    fallback.push(EndpointSet.of(aElsewhere, C));
    assertThat(listener.last()).isEqualTo(EndpointSet.of(A, B, C));

    primary.fail("down");
    assertThat(listener.errors).as("one source is still healthy").isEmpty();
    fallback.push(EndpointSet.of(C));
    assertThat(listener.last()).isEqualTo(EndpointSet.of(A, B, C));
    fallback.push(EndpointSet.empty());
    assertThat(listener.last()).isEqualTo(EndpointSet.of(A, B));

    fallback.fail("down too");
    assertThat(listener.lastError()).hasMessage("down too");
  }

  @Test
  void aSourceThatDoesNotKnowTheServiceIsLeftOut() {
    ManualSource other = new ManualSource("other", "users");
    CompositeDiscovery composite = CompositeDiscovery.priority(other, fallback);
    ServiceDiscovery.Subscription subscription = composite.watch("orders", listener);
    fallback.push(EndpointSet.of(C));
    assertThat(listener.last()).isEqualTo(EndpointSet.of(C));

    assertThatThrownBy(() -> composite.watch("billing", listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no source of priority[other, fallback] knows service 'billing': "
            + "[other does not know billing, fallback does not know billing]");

    subscription.close();
    assertThat(fallback.listeners()).isZero();
    composite.close();
    assertThat(other.closed).isTrue();
    assertThat(fallback.closed).isTrue();
  }

  @Test
  void aCompositeNeedsASource() {
    assertThatThrownBy(CompositeDiscovery::priority)
        .hasMessage("discovery.sources: [] (expected: at least one source)");
  }
}
