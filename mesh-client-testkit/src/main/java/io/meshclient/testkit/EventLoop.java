package io.meshclient.testkit;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.NoEndpointAvailableException;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.RetryRule;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.PickState;
import io.meshclient.core.internal.RequestKey;
import io.meshclient.testkit.AttemptRecord.AttemptResult;
import io.meshclient.testkit.SimulationEvent.Type;
import io.meshclient.testkit.SimulationResult.RequestOutcome;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One run of a {@link Simulation}: a discrete-event loop in virtual time around a real
 * {@link Cluster}. Events (arrivals, attempt ends, retries after backoff, outlier detection
 * intervals, discovery changes) sit in one queue ordered by time and, at equal times, by the order
 * they were scheduled, so a run is a pure function of the simulation and its seed. Confined to
 * the thread that calls {@link #run()}.
 */
final class EventLoop {
  private static final int ARRIVAL = 0;
  private static final int END = 1;
  private static final int RETRY = 2;
  private static final int OUTLIER_INTERVAL = 3;
  private static final int CHANGE = 4;

  private final Simulation sim;
  private final VirtualTime time = new VirtualTime();
  private final PriorityQueue<Event> queue = new PriorityQueue<>(EventLoop::compare);
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Cluster cluster;
  private final Tally tally;
  private final RandomGenerator arrivals;
  private final RandomGenerator keys;
  private final RandomGenerator backoff;
  private final RetryPolicy retry;
  private final long timeoutNanos;
  private final long perTryNanos;
  private final long intervalNanos;
  private final ConnectException refused = new ConnectException("connection refused (simulated)");
  private final SocketTimeoutException timedOut = new SocketTimeoutException("timeout (simulated)");
  private final List<Attempt> hanging = new ArrayList<>();
  private long sequence;
  private long requests;
  private boolean panic;

  EventLoop(Simulation sim) {
    this.sim = sim;
    SplittableRandom root = new SplittableRandom(sim.seed);
    RandomGenerator balancer = root.split();
    this.arrivals = root.split();
    this.keys = root.split();
    this.backoff = root.split();
    int index = 1;
    for (Backend b : sim.backends) {
      nodes.put(b.name(), new Node(b, index++, root.split()));
    }
    this.tally = new Tally(sim, List.copyOf(nodes.values()));
    this.cluster = new Cluster(sim.service, sim.policy, sim.loadBalancer.create(sim.service, sim.policy.loadBalancing()),
        time.clock(), time.ticker(), balancer, new Listener(), sim.callerZone, RequestKey.NONE);
    this.retry = sim.policy.retry();
    this.timeoutNanos = sim.policy.timeouts().timeout().toNanos();
    this.perTryNanos = sim.policy.timeouts().perTryTimeout().toNanos();
    this.intervalNanos = sim.policy.outlierDetection().enabled()
        ? sim.policy.outlierDetection().interval().toNanos() : 0;
  }

  SimulationResult run() {
    for (Backend b : sim.initial) {
      join(nodes.get(b.name()));
    }
    publish();
    for (Simulation.Change change : sim.changes) {
      schedule(change.atNanos(), CHANGE, change);
    }
    schedule(0, ARRIVAL, null);
    if (intervalNanos > 0) {
      schedule(intervalNanos, OUTLIER_INTERVAL, null);
    }
    Event e;
    while ((e = queue.poll()) != null) {
      time.advanceTo(e.at);
      switch (e.type) {
        case ARRIVAL -> arrive();
        case END -> end((Attempt) e.payload);
        case RETRY -> send((Call) e.payload);
        case OUTLIER_INTERVAL -> outlierInterval();
        case CHANGE -> change((Simulation.Change) e.payload);
        default -> throw new AssertionError(e.type);
      }
      checkPanic();
    }
    for (Attempt a : hanging) {
      tally.attemptEnded(a, AttemptResult.UNFINISHED, 0, time.now());
      tally.requestEnded(RequestOutcome.UNFINISHED, time.now() - a.call.arrival);
    }
    return tally.result(time.now(), cluster.picks(), cluster.crossZonePicks());
  }

  private void arrive() {
    long now = time.now();
    Call call = new Call(requests, now, sim.keys.keyOf(requests, keys));
    requests++;
    send(call);
    // Evenly spaced arrivals are placed from the start, so rounding never drifts the rate.
    long nextArrival = sim.poisson
        ? now + (long) (-Math.log(1 - arrivals.nextDouble()) * 1e9 / sim.rate)
        : (long) Math.floor(requests * 1e9 / sim.rate);
    if (nextArrival < sim.durationNanos) {
      schedule(nextArrival, ARRIVAL, null);
    }
  }

  private void send(Call call) {
    long now = time.now();
    EndpointState endpoint;
    try {
      endpoint = cluster.pick(call.picks, call.attempt);
    } catch (NoEndpointAvailableException e) {
      tally.requestEnded(RequestOutcome.NO_ENDPOINT, now - call.arrival);
      return;
    }
    Node node = nodes.get(endpoint.endpoint().id());
    endpoint.onSend();
    Outcome outcome = node.backend.behaviour().respond(now - node.joinedAt, node.inFlight, node.random);
    node.inFlight++;
    long deadline = timeoutNanos > 0 ? call.arrival + timeoutNanos : Long.MAX_VALUE;
    long attemptTimeout = deadline == Long.MAX_VALUE ? perTryNanos
        : perTryNanos > 0 ? Math.min(perTryNanos, deadline - now) : deadline - now;
    Attempt attempt = new Attempt(call, node, endpoint, now, outcome);
    tally.attemptSent(node, now);
    if (attemptTimeout > 0 && outcome.latencyNanos() > attemptTimeout) {
      attempt.timesOut = true;
      schedule(now + attemptTimeout, END, attempt);
    } else if (outcome.kind() == Outcome.Kind.NO_ANSWER) {
      hanging.add(attempt); // no timeout at all: it waits until the end of the run
    } else {
      schedule(now + outcome.latencyNanos(), END, attempt);
    }
  }

  private void end(Attempt a) {
    long now = time.now();
    long took = now - a.sent;
    Call call = a.call;
    a.node.inFlight--;
    long deadline = timeoutNanos > 0 ? call.arrival + timeoutNanos : Long.MAX_VALUE;
    boolean last = call.attempt + 1 >= retry.maxAttempts();
    if (!a.timesOut && a.outcome.kind() == Outcome.Kind.RESPONSE) {
      int status = a.outcome.status();
      cluster.onResponse(a.endpoint, status, took, a.outcome.retryAfterNanos());
      tally.attemptEnded(a, AttemptResult.RESPONSE, status, now);
      RequestOutcome result = status >= 500 ? RequestOutcome.SERVER_ERROR : RequestOutcome.OK;
      if (last || !retry.retryOn().shouldRetry(statusOutcome(status))) {
        tally.requestEnded(result, now - call.arrival);
        return;
      }
      long wait = backoffNanos(call.attempt + 1);
      if (now + wait >= deadline) {
        tally.requestEnded(result, now - call.arrival); // no time for another attempt: this answer stands
        return;
      }
      call.attempt++;
      schedule(now + wait, RETRY, call);
      return;
    }
    boolean connect = !a.timesOut && a.outcome.kind() == Outcome.Kind.CONNECT_FAILURE;
    cluster.onFailure(a.endpoint, connect ? refused : timedOut, took, connect);
    tally.attemptEnded(a, connect ? AttemptResult.CONNECT_FAILURE : AttemptResult.TIMEOUT, 0, now);
    RequestOutcome result = connect ? RequestOutcome.CONNECT_FAILURE : RequestOutcome.TIMEOUT;
    if (now >= deadline) {
      tally.requestEnded(RequestOutcome.TIMEOUT, now - call.arrival);
      return;
    }
    if (last) {
      tally.requestEnded(result, now - call.arrival);
      return;
    }
    long wait = backoffNanos(call.attempt + 1);
    if (now + wait >= deadline) {
      tally.requestEnded(RequestOutcome.TIMEOUT, now - call.arrival);
      return;
    }
    call.attempt++;
    schedule(now + wait, RETRY, call);
  }

  /** Exponential backoff with full jitter, as {@link RetryPolicy} describes it, from the run's backoff stream. */
  private long backoffNanos(int retryNumber) {
    double initial = retry.initialBackoff().toNanos();
    double cap = retry.maxBackoff().toNanos();
    double bound = Math.min(cap, initial * Math.pow(retry.backoffMultiplier(), retryNumber - 1));
    return (long) (bound * backoff.nextDouble());
  }

  private void outlierInterval() {
    cluster.runOutlierInterval();
    long next = time.now() + intervalNanos;
    if (next < sim.durationNanos) {
      schedule(next, OUTLIER_INTERVAL, null);
    }
  }

  private void change(Simulation.Change change) {
    Node node = nodes.get(change.name());
    switch (change.kind()) {
      case ADD -> {
        if (node.present) {
          return;
        }
        node.reportedHealthy = node.backend.healthy();
        join(node);
      }
      case REMOVE -> {
        if (!node.present) {
          return;
        }
        node.present = false;
        tally.event(time.now(), Type.LEFT, node.backend.name(), "");
      }
      case HEALTH -> {
        if (node.reportedHealthy == change.healthy()) {
          return;
        }
        node.reportedHealthy = change.healthy();
        tally.event(time.now(), Type.HEALTH_REPORTED, node.backend.name(), change.healthy() ? "healthy" : "unhealthy");
      }
      default -> throw new AssertionError(change.kind());
    }
    publish();
  }

  private void join(Node node) {
    node.present = true;
    node.joinedAt = time.now();
    tally.event(time.now(), Type.JOINED, node.backend.name(), "");
  }

  /** Pushes the endpoints present now, in declaration order, as discovery would. */
  private void publish() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (n.present) {
        endpoints.add(n.backend.endpoint(n.index, n.reportedHealthy));
      }
    }
    cluster.onEndpoints(EndpointSet.of(endpoints));
  }

  private void checkPanic() {
    boolean now = cluster.panic();
    if (now != panic) {
      panic = now;
      tally.event(time.now(), now ? Type.PANIC_STARTED : Type.PANIC_ENDED, "", "");
    }
  }

  private void schedule(long at, int type, @Nullable Object payload) {
    queue.add(new Event(at, sequence++, type, payload));
  }

  private static int compare(Event a, Event b) {
    int byTime = Long.compare(a.at, b.at);
    return byTime != 0 ? byTime : Long.compare(a.seq, b.seq);
  }

  /** Hears the cluster's ejections, readmissions and breaker changes, stamped with virtual time. */
  private final class Listener implements MeshEventListener {
    @Override
    public void onEjection(String service, Endpoint endpoint, String reason, Duration duration) {
      long now = time.now();
      tally.event(now, Type.EJECTED, endpoint.id(), reason, duration);
      int ejected = 0;
      for (EndpointState e : cluster.endpoints()) {
        long until = e.ejectedUntil();
        if (until != Long.MIN_VALUE && until - now > 0) {
          ejected++;
        }
      }
      tally.ejectedNow(ejected);
    }

    @Override
    public void onReadmission(String service, Endpoint endpoint) {
      tally.event(time.now(), Type.READMITTED, endpoint.id(), "");
    }

    @Override
    public void onCircuitStateChange(String service, Endpoint endpoint, String from, String to) {
      tally.event(time.now(), Type.CIRCUIT_STATE, endpoint.id(), from + "->" + to);
    }
  }

  private record Event(long at, long seq, int type, @Nullable Object payload) {}

  /** One simulated backend during a run. */
  static final class Node {
    final Backend backend;
    final int index;
    final RandomGenerator random;
    boolean present;
    boolean reportedHealthy;
    long joinedAt;
    int inFlight;

    Node(Backend backend, int index, RandomGenerator random) {
      this.backend = backend;
      this.index = index;
      this.random = random;
      this.reportedHealthy = backend.healthy();
    }
  }

  /** One logical request: its key and pick state live across its attempts. */
  final class Call {
    final long index;
    final long arrival;
    final @Nullable String key;
    final PickState picks;
    int attempt;

    Call(long index, long arrival, @Nullable String key) {
      this.index = index;
      this.arrival = arrival;
      this.key = key;
      this.picks = cluster.newPickState(key);
    }
  }

  /** One attempt on the wire. */
  static final class Attempt {
    final Call call;
    final Node node;
    final EndpointState endpoint;
    final long sent;
    final Outcome outcome;
    boolean timesOut;

    Attempt(Call call, Node node, EndpointState endpoint, long sent, Outcome outcome) {
      this.call = call;
      this.node = node;
      this.endpoint = endpoint;
      this.sent = sent;
      this.outcome = outcome;
    }
  }

  /** A response with {@code status} to a GET, as a retry rule reads it. */
  private static RetryRule.Outcome statusOutcome(int status) {
    return new RetryRule.Outcome() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public int statusCode() {
        return status;
      }

      @Override
      public @Nullable String header(String name) {
        return null;
      }

      @Override
      public java.io.@Nullable IOException failure() {
        return null;
      }

      @Override
      public boolean connectFailure() {
        return false;
      }

      @Override
      public boolean timedOut() {
        return false;
      }
    };
  }
}
