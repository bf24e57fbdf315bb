package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.CircuitBreakerPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancingPolicy;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.ServicePolicy;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class ClusterSwapTest {
  private final Endpoint a = Endpoint.of("10.0.0.1", 80);
  private final Endpoint b = Endpoint.of("10.0.0.2", 80);

  private static LoadBalancer roundRobin() {
    return new RoundRobinLoadBalancerFactory().create("orders", LoadBalancingPolicy.ofDefaults());
  }

  private Cluster cluster() {
    Cluster cluster = new Cluster("orders", ServicePolicy.ofDefaults(), roundRobin(), Clock.systemUTC(), MeshEventListener.NONE, null);
    cluster.onEndpoints(EndpointSet.of(a, b));
    return cluster;
  }

  @Test
  void aPolicyThatLeavesBreakersAndBalancingAloneKeepsEndpointStates() {
    Cluster cluster = cluster();
    EndpointState stateOfA = cluster.endpoints().get(0);
    stateOfA.onSend();
    ServicePolicy next = ServicePolicy.builder().retry(RetryPolicy.disabled()).build();

    cluster.swap(next, cluster.loadBalancer(), cluster.requestKey());

    assertThat(cluster.policy()).isSameAs(next);
    assertThat(cluster.endpoints().get(0)).isSameAs(stateOfA);
  }

  @Test
  void aNewBreakerGivesFreshStatesThatKeepEjectionsAndHealth() throws Exception {
    Cluster cluster = cluster();
    EndpointState stateOfA = cluster.endpoints().get(0);
    stateOfA.ejectedUntil = cluster.ticker().read() + 1_000_000_000L;
    stateOfA.timesEjected = 2;
    cluster.onHealthCheck(cluster.endpoints().get(1), false);
    assertThat(stateOfA.circuitState()).isEqualTo("CLOSED");
    LoadBalancer balancer = roundRobin();

    cluster.swap(ServicePolicy.builder().circuitBreaker(CircuitBreakerPolicy.disabled()).build(), balancer,
        cluster.requestKey());

    EndpointState freshA = cluster.endpoints().get(0);
    assertThat(freshA).isNotSameAs(stateOfA);
    assertThat(freshA.circuitState()).isEqualTo("DISABLED");
    assertThat(freshA.ejectedUntil).isEqualTo(stateOfA.ejectedUntil);
    assertThat(freshA.timesEjected).isEqualTo(2);
    assertThat(cluster.endpoints().get(1).healthy()).isFalse();
    assertThat(cluster.loadBalancer()).isSameAs(balancer);
    // a is ejected and b unhealthy: panic mode lets both take traffic under the new balancer
    assertThat(cluster.pick(cluster.newPickState(null), 0).endpoint()).isIn(a, b);
  }
}
