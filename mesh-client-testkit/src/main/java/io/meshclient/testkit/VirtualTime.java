package io.meshclient.testkit;

import io.meshclient.core.internal.Ticker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one time source of a simulation run, in nanoseconds from its start: the mesh's
 * {@link Ticker} (latencies, ejections, slow start, penalties) and its {@link Clock} (circuit
 * breaker waits) both read it, so nothing in a run reads real time. Only the event loop moves it,
 * forward only. Confined to the run's thread.
 */
final class VirtualTime {
  /** The wall-clock instant virtual time 0 stands for (what the breakers' clock shows at the start). */
  static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");

  private long nanos;
  private final Ticker ticker = () -> nanos;
  private final Clock clock = new VirtualClock();

  long now() {
    return nanos;
  }

  void advanceTo(long at) {
    if (at < nanos) {
      throw new IllegalStateException("virtual time runs forward only: " + at + " < " + nanos);
    }
    nanos = at;
  }

  Ticker ticker() {
    return ticker;
  }

  Clock clock() {
    return clock;
  }

  private final class VirtualClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return ORIGIN.plusNanos(nanos);
    }

    @Override
    public long millis() {
      return ORIGIN.toEpochMilli() + nanos / 1_000_000;
    }
  }
}
