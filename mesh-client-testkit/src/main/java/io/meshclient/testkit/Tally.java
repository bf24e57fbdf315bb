package io.meshclient.testkit;

import io.meshclient.testkit.AttemptRecord.AttemptResult;
import io.meshclient.testkit.SimulationEvent.Type;
import io.meshclient.testkit.SimulationResult.RequestOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run counts as it goes: attempts per backend (in total and per time bucket) and how they
 * ended, how requests ended and how long the successful ones took, the event log, the most
 * endpoints ejected at once, an optional trace of every attempt, and a fingerprint of it all.
 * Confined to the run's thread.
 */
final class Tally {
  private static final int ATTEMPTS = 0;
  private static final int SUCCESSES = 1;
  private static final int SERVER_ERRORS = 2;
  private static final int CONNECT_FAILURES = 3;
  private static final int TIMEOUTS = 4;
  private static final int UNFINISHED = 5;

  private final Simulation sim;
  private final List<EventLoop.Node> nodes;
  private final long[][] counts;
  private long[][] buckets;
  private final long[] outcomes = new long[RequestOutcome.values().length];
  private final Histogram latency = new Histogram(3);
  private final List<SimulationEvent> events = new ArrayList<>();
  private final List<AttemptRecord> trace = new ArrayList<>();
  private int maxEjected;
  private long fingerprint = 0xcbf29ce484222325L;

  Tally(Simulation sim, List<EventLoop.Node> nodes) {
    this.sim = sim;
    this.nodes = nodes;
    this.counts = new long[nodes.size()][UNFINISHED + 1];
    int expected = (int) Math.min(1 << 20, (sim.durationNanos + sim.bucketNanos - 1) / sim.bucketNanos);
    this.buckets = new long[nodes.size()][expected];
  }

  void attemptSent(EventLoop.Node node, long now) {
    int i = node.index - 1;
    counts[i][ATTEMPTS]++;
    long bucket = now / sim.bucketNanos;
    if (bucket >= buckets[i].length) {
      grow(bucket);
    }
    buckets[i][(int) bucket]++;
  }

  private void grow(long bucket) {
    if (bucket >= Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("too many result buckets: choose a wider bucket than " + Duration.ofNanos(sim.bucketNanos));
    }
    int size = (int) Math.max(bucket + 1, buckets[0].length * 2L);
    for (int n = 0; n < buckets.length; n++) {
      buckets[n] = Arrays.copyOf(buckets[n], size);
    }
  }

  void attemptEnded(EventLoop.Attempt a, AttemptResult result, int status, long now) {
    int i = a.node.index - 1;
    switch (result) {
      case RESPONSE -> counts[i][status >= 500 ? SERVER_ERRORS : SUCCESSES]++;
      case CONNECT_FAILURE -> counts[i][CONNECT_FAILURES]++;
      case TIMEOUT -> counts[i][TIMEOUTS]++;
      case UNFINISHED -> counts[i][UNFINISHED]++;
      default -> throw new AssertionError(result);
    }
    mix(a.sent);
    mix(a.node.index);
    mix(now);
    mix(result.ordinal() * 1000L + status);
    if (sim.trace) {
      trace.add(new AttemptRecord(a.call.index, a.call.attempt, a.sent, now, a.node.backend.name(), a.call.key,
          result, status));
    }
  }

  void requestEnded(RequestOutcome outcome, long nanos) {
    outcomes[outcome.ordinal()]++;
    if (outcome == RequestOutcome.OK) {
      latency.recordValue(nanos);
    }
    mix(outcome.ordinal());
    mix(nanos);
  }

  void event(long now, Type type, String backend, String detail) {
    event(now, type, backend, detail, Duration.ZERO);
  }

  void event(long now, Type type, String backend, String detail, Duration duration) {
    events.add(new SimulationEvent(Duration.ofNanos(now), type, backend, detail, duration));
    mix(now);
    mix(type.ordinal());
    mix(backend.hashCode());
    mix(duration.toNanos());
  }

  void ejectedNow(int ejected) {
    maxEjected = Math.max(maxEjected, ejected);
  }

  private void mix(long value) {
    fingerprint = (fingerprint ^ value) * 0x100000001b3L;
  }

  SimulationResult result(long endNanos, long picks, long crossZonePicks) {
    int used = 0;
    for (long[] perNode : buckets) {
      for (int b = perNode.length - 1; b >= used; b--) {
        if (perNode[b] != 0) {
          used = b + 1;
          break;
        }
      }
    }
    int bucketCount = (int) Math.max(used, (sim.durationNanos + sim.bucketNanos - 1) / sim.bucketNanos);
    Map<String, BackendResult> backends = new LinkedHashMap<>();
    for (EventLoop.Node node : nodes) {
      long[] c = counts[node.index - 1];
      long[] perBucket = Arrays.copyOf(buckets[node.index - 1], bucketCount);
      backends.put(node.backend.name(), new BackendResult(node.backend.name(), node.backend.zone(), c[ATTEMPTS],
          c[SUCCESSES], c[SERVER_ERRORS], c[CONNECT_FAILURES], c[TIMEOUTS], c[UNFINISHED], perBucket));
    }
    return new SimulationResult(sim, endNanos, backends, outcomes.clone(), latency.copy(), List.copyOf(events),
        maxEjected, picks, crossZonePicks, List.copyOf(trace), fingerprint);
  }
}
