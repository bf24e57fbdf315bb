package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.ServicePolicy;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each endpoint a pick passed over gets the reason it was passed over. */
class PickExplanationTest {
  private final Endpoint chosen = Endpoint.builder("10.0.0.1", 80).zone("a").build();
  private final Endpoint tried = Endpoint.builder("10.0.0.2", 80).zone("a").build();
  private final Endpoint ejected = Endpoint.builder("10.0.0.3", 80).zone("a").build();
  private final Endpoint refused = Endpoint.builder("10.0.0.4", 80).zone("a").build();
  private final Endpoint unhealthy = Endpoint.builder("10.0.0.5", 80).zone("a").healthy(false).build();
  private final Endpoint remote = Endpoint.builder("10.0.0.6", 80).zone("b").build();
  private final Endpoint idle = Endpoint.builder("10.0.0.7", 80).zone("a").build();

  @Test
  void everyOtherEndpointGetsTheReasonItWasPassedOver() {
    ServicePolicy policy = ServicePolicy.builder()
        .loadBalancing(LoadBalancingPolicy.builder().zoneAware(true).build())
        .build();
    Cluster cluster = new Cluster("orders", policy,
        LoadBalancerRegistry.factories(List.of()).get("round_robin").create("orders", policy.loadBalancing()),
        Clock.systemUTC(), MeshEventListener.NONE, "a");
    cluster.onEndpoints(EndpointSet.of(chosen, tried, ejected, refused, unhealthy, remote, idle));
    Map<Endpoint, EndpointState> states = cluster.endpoints().stream()
        .collect(Collectors.toMap(EndpointState::endpoint, s -> s));
    states.get(ejected).ejectedUntil = states.get(ejected).now() + 60_000_000_000L;
    PickState picks = cluster.newPickState(null);
    picks.remember(states.get(tried));
    picks.refuse(states.get(refused));
    picks.remember(states.get(chosen));

    PickExplanation why = PickExplanation.explain(states.get(chosen), picks, 1, false);

    assertThat(why.service()).isEqualTo("orders");
    assertThat(why.considered()).isEqualTo(7);
    assertThat(why.candidates()).extracting(PickExplanation.Verdict::endpoint, PickExplanation.Verdict::verdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.0.0.1:80", "chosen"),
            org.assertj.core.groups.Tuple.tuple("10.0.0.2:80", "already_tried"),
            org.assertj.core.groups.Tuple.tuple("10.0.0.3:80", "ejected"),
            org.assertj.core.groups.Tuple.tuple("10.0.0.4:80", "breaker_open"),
            org.assertj.core.groups.Tuple.tuple("10.0.0.5:80", "unhealthy"),
            org.assertj.core.groups.Tuple.tuple("10.0.0.6:80", "other_zone"),
            org.assertj.core.groups.Tuple.tuple("10.0.0.7:80", "not_picked"));
    assertThat(why.toString()).startsWith("attempt 1 of orders: 10.0.0.1:80 (score 0) over 10.0.0.2:80 already_tried");
  }

  @Test
  void anEndpointAtItsConcurrencyLimitIsNotReportedAsABreaker() {
    Cluster cluster = cluster("round_robin", null);
    cluster.onEndpoints(EndpointSet.of(chosen, tried, refused));
    List<EndpointState> states = cluster.endpoints();
    PickState picks = cluster.newPickState(null);
    picks.limited(states.get(1));
    picks.refuse(states.get(2));

    PickExplanation why = PickExplanation.explain(states.get(0), picks, 0, false);

    assertThat(why.candidates()).extracting(PickExplanation.Verdict::verdict)
        .containsExactly("chosen", "concurrency_limit", "breaker_open");
  }

  @Test
  void aBusierEndpointLostOnScoreAndALongListIsCut() {
    Cluster cluster = cluster("peak_ewma", null);
    Endpoint[] many = new Endpoint[12];
    for (int i = 0; i < many.length; i++) {
      many[i] = Endpoint.of("10.0.1." + (i + 1), 80);
    }
    cluster.onEndpoints(EndpointSet.of(many));
    EndpointState first = cluster.endpoints().get(0);
    EndpointState busy = cluster.endpoints().get(1);
    busy.onSend();
    busy.onSend(); // in flight, no latency known yet: a very high cost
    PickState picks = cluster.newPickState(null);

    PickExplanation why = PickExplanation.explain(first, picks, 0, true);

    assertThat(why.hedge()).isTrue();
    assertThat(why.candidates()).hasSize(PickExplanation.MAX_CANDIDATES);
    assertThat(why.candidates().get(1).verdict()).isEqualTo("higher_score");
    assertThat(why.candidates().get(2).verdict()).isEqualTo("not_picked"); // as cheap as the one chosen
    assertThat(why.considered()).isEqualTo(12);
    assertThat(why.toString()).startsWith("hedge 0 of orders").endsWith("and 4 more");
  }

  @Test
  void aBalancerThatIgnoresScoresNeverPassesOverOnScore() {
    for (String balancer : List.of("round_robin", "random", "ring_hash", "maglev")) {
      Cluster cluster = cluster(balancer, null);
      cluster.onEndpoints(EndpointSet.of(chosen, idle));
      EndpointState busy = cluster.endpoints().get(1);
      busy.onSend();
      busy.onSend();

      PickExplanation why = PickExplanation.explain(cluster.endpoints().get(0), cluster.newPickState(null), 0, false);

      assertThat(why.candidates().get(1).verdict()).as(balancer).isEqualTo("not_picked");
    }
  }

  @Test
  void aPickWithinASubsetIsExplainedAmongTheSubsetsEndpointsOnly() throws Exception {
    Cluster cluster = cluster("round_robin", null);
    cluster.onEndpoints(EndpointSet.of(
        Endpoint.builder("10.0.2.1", 80).label("version", "v1").build(),
        Endpoint.builder("10.0.2.2", 80).label("version", "v1").build(),
        Endpoint.builder("10.0.2.3", 80).label("version", "v2").build(),
        Endpoint.builder("10.0.2.4", 80).label("version", "v2").build()));
    Target v2 = new Target(cluster, Map.of("version", "v2"));
    cluster.addSubset(v2);
    PickState picks = cluster.newPickState(null, v2);
    EndpointState picked = cluster.pick(picks, 0);

    PickExplanation why = PickExplanation.explain(picked, picks, 0, false);

    assertThat(why.service()).isEqualTo("orders {version=v2}");
    assertThat(why.considered()).isEqualTo(2);
    assertThat(why.candidates()).extracting(PickExplanation.Verdict::endpoint)
        .containsExactlyInAnyOrder("10.0.2.3:80", "10.0.2.4:80");
  }

  private static Cluster cluster(String balancer, String zone) {
    ServicePolicy policy = ServicePolicy.ofDefaults();
    return new Cluster("orders", policy,
        LoadBalancerRegistry.factories(List.of()).get(balancer).create("orders", policy.loadBalancing()),
        Clock.systemUTC(), MeshEventListener.NONE, zone);
  }
}
