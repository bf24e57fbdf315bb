package io.meshclient.benchmarks;

import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshException;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.PickState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * Applying a discovery update of {@value #SIZE} endpoints while another thread keeps picking: two
 * JMH threads in one group on one cluster, one calling {@link Cluster#onEndpoints} with two sets
 * in turn, the other making picks as {@link PickBenchmark#pick()} does.
 *
 * <p>The two sets share half their endpoint ids, so each update keeps the state of
 * {@value #SIZE}/2 endpoints, creates {@value #SIZE}/2 new ones (each with its circuit breaker)
 * and drops {@value #SIZE}/2 — what a rolling replacement of half a fleet reports. {@code update}
 * is the time of one such update; {@code pick} is the time of a pick made meanwhile. The pick path
 * takes no lock, so it does not wait for updates; what it shares with them is the CPU and the GC.
 * (For the hashing balancers the first pick after an update also builds the new ring or table,
 * which the picker's average then includes.)
 *
 * <pre>{@code
 * new Runner(new OptionsBuilder().include(UpdateBenchmark.class.getName()).build()).run();
 * }</pre>
 *
 * <p>A JMH {@link State} with group scope: the two threads of a group share one cluster.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class UpdateBenchmark {
  /** Endpoints in each update. */
  static final int SIZE = 10_000;

  /** The group's name: the update and the concurrent picks. */
  static final String GROUP = "updateWhilePicking";

  @Param({"peak_ewma", "ring_hash", "maglev"})
  String strategy;

  Cluster cluster;
  EndpointSet first;
  EndpointSet second;
  private boolean secondNext = true;

  /** Builds the two sets and a cluster holding the first. */
  @Setup(Level.Trial)
  public void setUp() throws MeshException {
    cluster = PickBenchmark.cluster(strategy);
    first = PickBenchmark.endpointSet(SIZE, 0);
    second = PickBenchmark.endpointSet(SIZE, SIZE / 2);
    cluster.onEndpoints(first);
    Picker.pick(cluster, "warm-up");
  }

  /** Replaces the cluster's endpoints with the other set. Returns the number of endpoints it now has. */
  @Benchmark
  @Group(GROUP)
  @GroupThreads(1)
  public int update() {
    cluster.onEndpoints(secondNext ? second : first);
    secondNext = !secondNext;
    return cluster.endpoints().size();
  }

  /** A pick made while updates run, given back as {@link PickBenchmark#pick()} does. */
  @Benchmark
  @Group(GROUP)
  @GroupThreads(1)
  public EndpointState pick(Picker picker) throws MeshException {
    return Picker.pick(cluster, picker.key());
  }

  /** The picking thread's own hash keys. */
  @State(Scope.Thread)
  public static class Picker {
    private final String[] keys = new String[PickBenchmark.KEYS];
    private int next;

    /** Makes the keys. */
    @Setup(Level.Trial)
    public void setUp() {
      for (int i = 0; i < keys.length; i++) {
        keys[i] = "user-" + i;
      }
    }

    String key() {
      return keys[next++ & (PickBenchmark.KEYS - 1)];
    }

    static EndpointState pick(Cluster cluster, String key) throws MeshException {
      PickState state = cluster.newPickState(key);
      EndpointState endpoint = cluster.pick(state, 0);
      endpoint.onSend();
      endpoint.abandon();
      return endpoint;
    }
  }
}
