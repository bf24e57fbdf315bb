package io.meshclient.benchmarks;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.LoadBalancer;
import io.meshclient.api.LoadBalancerFactory;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.MeshException;
import io.meshclient.api.ServicePolicy;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.LoadBalancerRegistry;
import io.meshclient.core.internal.PickState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of choosing an endpoint, per load balancer and number of endpoints, through the mesh's
 * real pick path: {@link Cluster#pick} on a cluster built as the mesh builds one (default policy
 * but for the balancer, circuit breakers on), endpoints pushed by discovery.
 *
 * <ul>
 *   <li>{@link #pick()}: what the first attempt of a call costs before the request is sent — a new
 *       {@link PickState} (one per call, with the request's hash key), the pick (pool read, balancer,
 *       breaker permit), {@link EndpointState#onSend()} — and then {@link EndpointState#abandon()},
 *       which gives the permit and the in-flight slot back without recording an outcome, so every
 *       operation finds the endpoints as the setup left them, whatever the balancer.
 *   <li>{@link #pickAndRecord()}: the same, but the attempt ends as a real one does, with
 *       {@link Cluster#onResponse} recording a {@code 200} and a latency (moving average, counters,
 *       breaker outcome): the whole per-attempt bookkeeping of the balancer and endpoint state.
 *   <li>{@link #newPickState()}: the per-call state alone, to tell what the pick itself costs.
 * </ul>
 *
 * <p>Every endpoint starts with a few latency samples of 1 to 3 ms, so {@code peak_ewma} and
 * {@code least_request} compare real figures. The hash key cycles through {@value #KEYS} strings
 * (the hashing balancers hash it; the others ignore it). The hashing balancers build their ring or
 * table at the first pick after the set changes; the setup makes that pick, so the figures are
 * steady-state picks.
 *
 * <pre>{@code
 * new Runner(new OptionsBuilder().include(PickBenchmark.class.getName()).build()).run();
 * }</pre>
 *
 * <p>A JMH {@link State} with thread scope: one cluster per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PickBenchmark {
  /** The service name of the cluster. */
  static final String SERVICE = "pick";

  /** The balancers measured, by policy name. */
  static final List<String> STRATEGIES = List.of("round_robin", "random", "least_request", "peak_ewma", "ring_hash", "maglev");

  /** The endpoint counts measured. */
  static final List<Integer> SIZES = List.of(10, 100, 1_000, 10_000);

  /** How many distinct hash keys the calls cycle through (a power of two). */
  static final int KEYS = 1024;

  @Param({"round_robin", "random", "least_request", "peak_ewma", "ring_hash", "maglev"})
  String strategy;

  @Param({"10", "100", "1000", "10000"})
  int endpoints;

  Cluster cluster;
  private final String[] keys = new String[KEYS];
  private final long[] latencies = new long[KEYS];
  private int next;

  /** Builds the cluster, pushes the endpoints, gives each a latency history and makes a first pick. */
  @Setup(Level.Trial)
  public void setUp() throws MeshException {
    cluster = cluster(strategy);
    cluster.onEndpoints(endpointSet(endpoints, 0));
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user-" + i;
      latencies[i] = 1_000_000 + random.nextLong(2_000_000);
    }
    for (EndpointState endpoint : cluster.endpoints()) {
      for (int sample = 0; sample < 3; sample++) {
        endpoint.onSend();
        cluster.onResponse(endpoint, 200, 1_000_000 + random.nextLong(2_000_000), -1);
      }
    }
    pick();
  }

  /** A cluster of service {@value #SERVICE} with the named balancer and an otherwise default policy. */
  static Cluster cluster(String strategy) {
    ServicePolicy policy = ServicePolicy.builder().loadBalancer(strategy).build();
    LoadBalancerFactory factory = LoadBalancerRegistry.factories(List.of()).get(strategy);
    if (factory == null) {
      throw new IllegalArgumentException("strategy: " + strategy + " (expected: one of "
          + LoadBalancerRegistry.factories(List.of()).keySet() + ")");
    }
    LoadBalancer balancer = factory.create(SERVICE, policy.loadBalancing());
    return new Cluster(SERVICE, policy, balancer, Clock.systemUTC(), MeshEventListener.NONE, null);
  }

  /**
   * {@code count} endpoints on distinct loopback addresses and ports, with ids {@code <first>}
   * to {@code <first + count - 1>}; two sets share exactly the ids of the ranges they share.
   */
  static EndpointSet endpointSet(int count, int first) {
    List<Endpoint> list = new ArrayList<>(count);
    for (int i = first; i < first + count; i++) {
      list.add(Endpoint.builder("127.0." + (i >>> 8 & 0xFF) + "." + (i & 0xFF), 8080 + (i >>> 16))
          .id("endpoint-" + i)
          .build());
    }
    return EndpointSet.of(list);
  }

  /** One call's first pick, sent and then given back without an outcome. Returns the endpoint. */
  @Benchmark
  public EndpointState pick() throws MeshException {
    PickState state = cluster.newPickState(keys[next++ & (KEYS - 1)]);
    EndpointState endpoint = cluster.pick(state, 0);
    endpoint.onSend();
    endpoint.abandon();
    return endpoint;
  }

  /**
   * Only the per-call {@link PickState} that {@link #pick()} and {@link #pickAndRecord()} start
   * with: their time and allocation minus this one's are the pick's own.
   */
  @Benchmark
  public PickState newPickState() {
    return cluster.newPickState(keys[next++ & (KEYS - 1)]);
  }

  /** One call's first pick, sent and answered {@code 200} with a latency of 1 to 3 ms. Returns the endpoint. */
  @Benchmark
  public EndpointState pickAndRecord() throws MeshException {
    int i = next++ & (KEYS - 1);
    PickState state = cluster.newPickState(keys[i]);
    EndpointState endpoint = cluster.pick(state, 0);
    endpoint.onSend();
    cluster.onResponse(endpoint, 200, latencies[i], -1);
    return endpoint;
  }
}
