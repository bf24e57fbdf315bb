package io.meshclient.testkit;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.MeshConfigException;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a simulated backend answers: for each attempt sent to it, the {@link Outcome} (status and
 * latency, a refused connection, or no answer). Behaviours are small values that compose: start
 * from {@link #steady(Duration)}, {@link #coldStart}, {@link #dead()} or {@link #unresponsive()},
 * then make them slower, fail a share of requests, or switch to another behaviour at a given time.
 *
 * <pre>{@code
 * Behaviour fast = Behaviour.steady(Duration.ofMillis(10));
 * Behaviour tenTimesSlower = fast.slower(10);
 * Behaviour brownout = Behaviour.brownout(fast, 0.3, 503, Duration.ofSeconds(5), Duration.ofSeconds(15));
 * Behaviour outage = fast.during(Duration.ofSeconds(10), Duration.ofSeconds(20), Behaviour.dead());
 * Behaviour restart = Behaviour.dead().switchAt(Duration.ofSeconds(10),
 *     Behaviour.coldStart(Duration.ofMillis(10), 5, Duration.ofSeconds(20)));
 * }</pre>
 *
 * <p>Time is virtual and counted from the moment the backend joined the service (the start of
 * the simulation for backends present from the start); a behaviour that takes over at a given time
 * ({@link #switchAt}, {@link #during}) counts from that moment instead, so a cold start placed
 * after an outage starts cold. A behaviour draws its noise only from the random source it is
 * given, so a simulation with the same seed replays exactly. The built-in behaviours are immutable
 * and thread-safe; a simulation calls a behaviour from one thread.
 */
@FunctionalInterface
public interface Behaviour {
  /** The jitter of {@link #steady(Duration)}: latencies spread uniformly over ±10 %. */
  double DEFAULT_JITTER = 0.1;
  /** How long a {@link #dead()} backend takes to refuse a connection: 1 ms. */
  Duration DEFAULT_CONNECT_FAILURE_TIME = Duration.ofMillis(1);

  /**
   * The outcome of one attempt.
   *
   * @param elapsedNanos virtual time since this behaviour took effect
   * @param concurrency attempts this backend is already serving (not counting this one)
   * @param random the backend's own seeded random source
   */
  Outcome respond(long elapsedNanos, int concurrency, RandomGenerator random);

  /** Answers 200 after {@code latency}, spread uniformly over ±10 %. */
  static Behaviour steady(Duration latency) {
    return steady(latency, DEFAULT_JITTER);
  }

  /** Answers 200 after {@code latency} × (1 ± {@code jitter}), uniformly spread; jitter in [0, 1). */
  static Behaviour steady(Duration latency, double jitter) {
    long nanos = positive("behaviour.latency", latency);
    checkJitter(jitter);
    return (elapsed, concurrency, random) -> Outcome.ok(jittered(nanos, jitter, random));
  }

  /**
   * A backend that starts cold (JIT compilation, empty caches): its latency begins at
   * {@code startFactor} × {@code latency} and falls towards {@code latency} over {@code window},
   * fast at first and then more slowly — the excess decays exponentially with a time constant of a
   * fifth of the window, so less than 1 % of it is left at the end — with the ±10 % jitter of
   * {@link #steady(Duration)}.
   */
  static Behaviour coldStart(Duration latency, double startFactor, Duration window) {
    long nanos = positive("behaviour.latency", latency);
    double tau = positive("behaviour.coldStartWindow", window) / 5.0;
    if (!(startFactor >= 1) || Double.isInfinite(startFactor)) {
      throw new MeshConfigException("behaviour.coldStartFactor", startFactor, "a finite factor >= 1");
    }
    return (elapsed, concurrency, random) -> {
      double excess = (startFactor - 1) * Math.exp(-elapsed / tau);
      return Outcome.ok(jittered((long) (nanos * (1 + excess)), DEFAULT_JITTER, random));
    };
  }

  /** A backend that is down: every connection is refused after 1 ms. */
  static Behaviour dead() {
    return dead(DEFAULT_CONNECT_FAILURE_TIME);
  }

  /** A backend that is down: every connection is refused (or times out connecting) after {@code connectTime}. */
  static Behaviour dead(Duration connectTime) {
    Outcome refused = Outcome.connectFailure(nonNegative("behaviour.connectTime", connectTime));
    return (elapsed, concurrency, random) -> refused;
  }

  /** A backend that accepts requests and never answers: every attempt ends by its timeout. */
  static Behaviour unresponsive() {
    return (elapsed, concurrency, random) -> Outcome.noAnswer();
  }

  /**
   * A brownout: {@code base}, except that from {@code from} to {@code to} a {@code share} of its
   * requests answer {@code status} (after the latency {@code base} would have taken).
   */
  static Behaviour brownout(Behaviour base, double share, int status, Duration from, Duration to) {
    return base.during(from, to, base.failing(share, status));
  }

  /** This behaviour, every outcome taking {@code factor} times as long (e.g. 10 for a 10× slower backend). */
  default Behaviour slower(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new MeshConfigException("behaviour.slower", factor, "a finite factor > 0");
    }
    return (elapsed, concurrency, random) -> respond(elapsed, concurrency, random).slower(factor);
  }

  /** This behaviour, except that a {@code share} (0..1) of requests answer {@code status} instead, after the same time. */
  default Behaviour failing(double share, int status) {
    checkShare(share);
    Outcome.status(status, 0); // checks the status now, not on the first request
    return (elapsed, concurrency, random) -> {
      boolean fails = random.nextDouble() < share;
      Outcome outcome = respond(elapsed, concurrency, random);
      return fails && outcome.kind() != Outcome.Kind.NO_ANSWER ? Outcome.status(status, outcome.latencyNanos()) : outcome;
    };
  }

  /** This behaviour, except that a {@code share} (0..1) of requests are never answered. */
  default Behaviour timingOut(double share) {
    checkShare(share);
    return (elapsed, concurrency, random) -> {
      boolean hangs = random.nextDouble() < share;
      Outcome outcome = respond(elapsed, concurrency, random);
      return hangs ? Outcome.noAnswer() : outcome;
    };
  }

  /**
   * This behaviour while the backend serves up to {@code capacity} attempts at once; beyond that
   * every attempt slows in proportion to the load (processor sharing): with {@code c} attempts
   * in flight, latency × c ÷ capacity.
   */
  default Behaviour withCapacity(int capacity) {
    if (capacity < 1) {
      throw new MeshConfigException("behaviour.capacity", capacity, ">= 1");
    }
    return (elapsed, concurrency, random) -> {
      Outcome outcome = respond(elapsed, concurrency, random);
      int load = concurrency + 1;
      return load <= capacity ? outcome : outcome.slower((double) load / capacity);
    };
  }

  /** This behaviour until {@code at}, then {@code next} (which counts its time from {@code at}). */
  default Behaviour switchAt(Duration at, Behaviour next) {
    long atNanos = nonNegative("behaviour.switchAt", at);
    requireNonNull(next, "next");
    return (elapsed, concurrency, random) -> elapsed >= atNanos
        ? next.respond(elapsed - atNanos, concurrency, random)
        : respond(elapsed, concurrency, random);
  }

  /**
   * {@code other} from {@code from} until {@code to} (counting its time from {@code from}), and
   * this behaviour before and after, e.g. an outage: {@code steady.during(10s, 20s, dead())}.
   */
  default Behaviour during(Duration from, Duration to, Behaviour other) {
    long fromNanos = nonNegative("behaviour.during.from", from);
    long toNanos = nonNegative("behaviour.during.to", to);
    if (toNanos <= fromNanos) {
      throw new MeshConfigException("behaviour.during.to", to, "> behaviour.during.from (" + from + ")");
    }
    requireNonNull(other, "other");
    return (elapsed, concurrency, random) -> elapsed >= fromNanos && elapsed < toNanos
        ? other.respond(elapsed - fromNanos, concurrency, random)
        : respond(elapsed, concurrency, random);
  }

  private static long jittered(long nanos, double jitter, RandomGenerator random) {
    return jitter == 0 ? nanos : (long) (nanos * (1 + jitter * (2 * random.nextDouble() - 1)));
  }

  private static long positive(String path, Duration d) {
    requireNonNull(d, path);
    if (d.isNegative() || d.isZero()) {
      throw new MeshConfigException(path, d, "> 0s");
    }
    return d.toNanos();
  }

  private static long nonNegative(String path, Duration d) {
    requireNonNull(d, path);
    if (d.isNegative()) {
      throw new MeshConfigException(path, d, ">= 0s");
    }
    return d.toNanos();
  }

  private static void checkShare(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new MeshConfigException("behaviour.share", share, "a share in 0..1");
    }
  }

  private static void checkJitter(double jitter) {
    if (!(jitter >= 0 && jitter < 1)) {
      throw new MeshConfigException("behaviour.jitter", jitter, "a fraction in [0, 1)");
    }
  }
}
