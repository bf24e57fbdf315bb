package io.meshclient.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Something that happened to the service during a simulation, at a virtual time: an ejection or
 * readmission by outlier detection, a circuit breaker changing state, a discovery change, or panic
 * mode starting or ending.
 *
 * <pre>{@code
 * result.events(SimulationEvent.Type.EJECTED).forEach(e ->
 *     System.out.println(e.at() + " " + e.backend() + " " + e.detail()));
 * }</pre>
 *
 * @param at virtual time since the start of the simulation
 * @param type what happened
 * @param backend the backend it happened to; empty for events of the whole service (panic)
 * @param detail the reason of an ejection ({@code consecutive_5xx}), the breaker transition
 *     ({@code CLOSED->OPEN}), the reported health ({@code unhealthy}), or empty
 * @param duration how long an ejection lasts; zero for other events
 */
public record SimulationEvent(Duration at, Type type, String backend, String detail, Duration duration) {
  /** The kinds of events. */
  public enum Type {
    /** Outlier detection took the backend out of rotation; {@code detail} says why, {@code duration} for how long. */
    EJECTED,
    /** An ejected backend is back in rotation. */
    READMITTED,
    /** The backend's circuit breaker changed state; {@code detail} is {@code FROM->TO}. */
    CIRCUIT_STATE,
    /** Discovery now reports the backend. */
    JOINED,
    /** Discovery no longer reports the backend. */
    LEFT,
    /** Discovery changed the backend's health flag; {@code detail} is {@code healthy} or {@code unhealthy}. */
    HEALTH_REPORTED,
    /** Too few endpoints are healthy: the service balances over all of them. */
    PANIC_STARTED,
    /** Enough endpoints are healthy again. */
    PANIC_ENDED
  }

  /** Checks the components. */
  public SimulationEvent {
    requireNonNull(at, "at");
    requireNonNull(type, "type");
    requireNonNull(backend, "backend");
    requireNonNull(detail, "detail");
    requireNonNull(duration, "duration");
  }

  /** An event without a duration. */
  public SimulationEvent(Duration at, Type type, String backend, String detail) {
    this(at, type, backend, detail, Duration.ZERO);
  }

  @Override
  public String toString() {
    return at + " " + type + (backend.isEmpty() ? "" : " " + backend) + (detail.isEmpty() ? "" : " " + detail)
        + (duration.isZero() ? "" : " for " + duration);
  }
}
