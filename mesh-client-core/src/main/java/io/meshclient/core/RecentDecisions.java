package io.meshclient.core;

import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.PickExplanation;
import io.meshclient.core.internal.PickState;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains picks: keeps the last few per service for {@link MeshSnapshot.ServiceSnapshot#decisions()}
 * and writes every one to the DEBUG log of {@value #LOGGER}. The buffer keeps every retry and
 * hedge, and first attempts at most once per {@value #FIRST_ATTEMPT_GAP_MILLIS} ms per service,
 * so that a busy service does not pay an explanation per call.
 *
 * <p>Thread-safe: each service's buffer has its own lock, taken only to record or copy.
 */
final class RecentDecisions implements CallObserver {
  /** The logger of pick explanations (DEBUG). */
  static final String LOGGER = "io.meshclient.pick";

  static final long FIRST_ATTEMPT_GAP_MILLIS = 100;

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  private final Map<String, Ring> rings = new HashMap<>();

  /** Keeps {@code perService} decisions (0: none, only the debug log) of each of {@code clusters}. */
  RecentDecisions(Collection<Cluster> clusters, int perService, Clock clock) {
    for (Cluster cluster : clusters) {
      rings.put(cluster.service(), new Ring(cluster, perService, clock));
    }
  }

  @Override
  public Call start(Cluster cluster, Request request, @Nullable String route) {
    Ring ring = rings.get(cluster.service());
    return ring == null ? Call.NONE : ring;
  }

  /** The recent decisions of {@code service}, oldest first. */
  List<MeshSnapshot.Decision> of(String service) {
    Ring ring = rings.get(service);
    return ring == null ? List.of() : ring.copy();
  }

  /** One service's buffer; also the (stateless) observation of each of its calls. */
  private static final class Ring implements Call {
    private final Cluster cluster;
    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<MeshSnapshot.Decision> decisions;
    private volatile long lastFirst;
    private volatile boolean recordedFirst;

    Ring(Cluster cluster, int capacity, Clock clock) {
      this.cluster = cluster;
      this.capacity = capacity;
      this.clock = clock;
      this.decisions = new ArrayDeque<>(capacity);
    }

    @Override
    public Attempt attempt(int attempt, EndpointState chosen, PickState picks, Request.Builder request, boolean hedge) {
      boolean debug = log.isDebugEnabled();
      boolean keep = capacity > 0 && (attempt > 0 || hedge || firstAttemptDue());
      if (!debug && !keep) {
        return Attempt.NONE;
      }
      PickExplanation why = PickExplanation.explain(chosen, picks, attempt, hedge);
      if (debug) {
        log.debug("pick: {}", why);
      }
      if (keep) {
        record(why);
      }
      return Attempt.NONE;
    }

    private boolean firstAttemptDue() {
      long now = cluster.ticker().read();
      if (recordedFirst && now - lastFirst < TimeUnit.MILLISECONDS.toNanos(FIRST_ATTEMPT_GAP_MILLIS)) {
        return false;
      }
      // Two threads may both pass; one extra decision is harmless.
      lastFirst = now;
      recordedFirst = true;
      return true;
    }

    private void record(PickExplanation why) {
      List<MeshSnapshot.Candidate> candidates = new ArrayList<>(why.candidates().size());
      for (PickExplanation.Verdict v : why.candidates()) {
        candidates.add(new MeshSnapshot.Candidate(v.endpoint(), v.score(), v.verdict()));
      }
      MeshSnapshot.Decision decision = new MeshSnapshot.Decision(clock.instant(), why.attempt(), why.hedge(),
          why.chosen().endpoint(), candidates, why.considered());
      synchronized (decisions) {
        if (decisions.size() == capacity) {
          decisions.removeFirst();
        }
        decisions.addLast(decision);
      }
    }

    List<MeshSnapshot.Decision> copy() {
      synchronized (decisions) {
        return List.copyOf(decisions);
      }
    }
  }
}
