package io.meshclient.core.internal;

import java.time.Clock;
import java.time.Instant;

/** A source of nanosecond time for deadlines and durations; {@link #of(Clock)} lets tests drive it. */
@FunctionalInterface
public interface Ticker {
  /** The ticker backed by {@link System#nanoTime()}. */
  Ticker SYSTEM = System::nanoTime;

  /** Nanoseconds from an arbitrary origin; only differences mean anything. */
  long read();

  /** The system ticker for the system clock, else a ticker that reads {@code clock}. */
  static Ticker of(Clock clock) {
    if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
      return SYSTEM;
    }
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }
}
