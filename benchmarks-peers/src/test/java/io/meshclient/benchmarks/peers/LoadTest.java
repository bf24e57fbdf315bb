package io.meshclient.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The load generator on a clock the test moves: no call here waits for real time. */
class LoadTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  /** A clock that only moves when told to; waiting for a deadline moves it there. */
  static final class ManualClock implements Load.Clock {
    final AtomicLong now = new AtomicLong();

    @Override
    public long nanoTime() {
      return now.get();
    }

    @Override
    public void waitUntil(long deadline) {
      now.accumulateAndGet(deadline, Math::max);
    }

    void advance(long nanos) {
      now.addAndGet(nanos);
    }
  }

  /** A contender whose calls take the time it is told, on the manual clock. */
  static final class TimedContender implements Contender {
    final ManualClock clock;
    final AtomicInteger calls = new AtomicInteger();
    final long firstNanos;
    final long restNanos;
    final int failEvery;

    TimedContender(ManualClock clock, long firstNanos, long restNanos, int failEvery) {
      this.clock = clock;
      this.firstNanos = firstNanos;
      this.restNanos = restNanos;
      this.failEvery = failEvery;
    }

    @Override
    public String name() {
      return "timed";
    }

    @Override
    public int call() throws IOException {
      int n = calls.getAndIncrement();
      clock.advance(n == 0 ? firstNanos : restNanos);
      if (failEvery > 0 && n % failEvery == failEvery - 1) {
        throw new IOException("call " + n + " fails");
      }
      return n % 2;
    }

    @Override
    public void close() {}
  }

  @Test
  void aStallCountsAgainstEveryCallThatShouldHaveStartedDuringIt() throws Exception {
    ManualClock clock = new ManualClock();
    // The first call stalls for 10 ms; the others take 0.1 ms. At 1,000 calls/s, the nine calls meant
    // to start during the stall start late, and each one's latency includes its wait.
    TimedContender contender = new TimedContender(clock, 10 * MS, MS / 10, 0);
    Load load = new Load(clock, Runnable::run, 2);

    Load.OpenLoopResult result = load.openLoop(contender, 1000, Duration.ZERO, Duration.ofMillis(20), List.of());

    assertThat(result.measuredCalls()).isEqualTo(20);
    assertThat(result.latency().getTotalCount()).isEqualTo(20);
    assertThat(result.latency().getMaxValue()).isBetween(10 * MS - MS / 100, 10 * MS + MS / 100);
    // Measured from each call's own start, only the stalled call would be slow.
    assertThat(result.latency().getCountBetweenValues(2 * MS, 20 * MS)).isGreaterThanOrEqualTo(9);
    assertThat(result.perBackend()).containsExactly(10, 10);
    assertThat(result.failed()).isZero();
  }

  @Test
  void failuresAreCountedOverTheWholeRunAndInTheMeasuredWindow() throws Exception {
    ManualClock clock = new ManualClock();
    TimedContender contender = new TimedContender(clock, MS / 10, MS / 10, 4);
    Load load = new Load(clock, Runnable::run, 2);

    Load.OpenLoopResult result = load.openLoop(contender, 1000, Duration.ofMillis(8), Duration.ofMillis(12), List.of());

    assertThat(contender.calls.get()).isEqualTo(20);
    assertThat(result.failed()).isEqualTo(5); // calls 3, 7, 11, 15, 19
    assertThat(result.failedMeasured()).isEqualTo(3); // 11, 15, 19: calls 8 on are measured
    assertThat(result.latency().getTotalCount()).isEqualTo(12 - 3);
  }

  @Test
  void anEventRunsOnceAtItsOffsetIntoTheMeasuredWindow() throws Exception {
    ManualClock clock = new ManualClock();
    TimedContender contender = new TimedContender(clock, MS / 10, MS / 10, 0);
    AtomicInteger callsBeforeEvent = new AtomicInteger(-1);
    Load load = new Load(clock, Runnable::run, 2);

    load.openLoop(contender, 1000, Duration.ofMillis(5), Duration.ofMillis(10),
        List.of(new Load.Event(Duration.ofMillis(3), () -> callsBeforeEvent.compareAndSet(-1, contender.calls.get()))));

    // The sender starts the event before the call meant for 3 ms into the measured window: call 5 + 3.
    // The event runs on its own thread, so it sees that call or a few more made.
    assertThat(callsBeforeEvent.get()).isBetween(8, 15);
  }

  @Test
  void theClosedLoopCountsCallsThatStartAndEndInTheMeasuredWindow() throws Exception {
    ManualClock clock = new ManualClock();
    TimedContender contender = new TimedContender(clock, MS, MS, 0);
    Load load = new Load(clock, Runnable::run, 2);

    Load.ClosedLoopResult result = load.closedLoop(contender, 1, Duration.ofMillis(10), Duration.ofMillis(100));

    // Calls start at 0, 1, 2 ... ms; those starting at 10 to 108 ms end by 109 ms, inside [10, 110).
    assertThat(result.completed()).isEqualTo(99);
    assertThat(result.callsPerSecond()).isEqualTo(990.0);
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    Load load = new Load(new ManualClock(), Runnable::run, 1);
    Contender contender = new TimedContender(new ManualClock(), 0, 0, 0);
    assertThatThrownBy(() -> load.openLoop(contender, 0, Duration.ZERO, Duration.ofSeconds(1), List.of()))
        .hasMessageContaining("rate: 0");
    assertThatThrownBy(() -> load.openLoop(contender, 10, Duration.ZERO, Duration.ZERO, List.of()))
        .hasMessageContaining("measure: PT0S");
    assertThatThrownBy(() -> load.closedLoop(contender, 0, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("threads: 0");
    assertThatThrownBy(() -> new Load.Event(Duration.ofMillis(-1), () -> {}))
        .hasMessageContaining("at: PT-0.001S");
  }
}
