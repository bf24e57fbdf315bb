package io.meshclient.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meshclient.api.MeshConfigException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BehaviourTest {
  private static final long MS = 1_000_000;
  private static final long S = 1_000 * MS;
  private final RandomGenerator random = new SplittableRandom(1);

  private Outcome at(Behaviour b, long elapsed) {
    return b.respond(elapsed, 0, random);
  }

  @Test
  void steadyAnswersOkWithinItsJitter() {
    Behaviour b = Behaviour.steady(Duration.ofMillis(10));
    double sum = 0;
    for (int i = 0; i < 1000; i++) {
      Outcome o = at(b, i * MS);
      assertThat(o.kind()).isEqualTo(Outcome.Kind.RESPONSE);
      assertThat(o.status()).isEqualTo(200);
      assertThat(o.latencyNanos()).isBetween(9 * MS, 11 * MS);
      sum += o.latencyNanos();
    }
    assertThat(sum / 1000).isCloseTo(10 * MS, within(0.2 * MS));
    assertThat(at(Behaviour.steady(Duration.ofMillis(10), 0), 0).latencyNanos()).isEqualTo(10 * MS);
  }

  @Test
  void slowerMultipliesTheLatency() {
    assertThat(at(Behaviour.steady(Duration.ofMillis(10), 0).slower(10), 0).latencyNanos()).isEqualTo(100 * MS);
  }

  @Test
  void coldStartBeginsSlowAndFallsToNormalOverTheWindow() {
    Behaviour b = Behaviour.coldStart(Duration.ofMillis(10), 10, Duration.ofSeconds(20));
    long first = at(b, 0).latencyNanos();
    long middle = at(b, 4 * S).latencyNanos();
    long end = at(b, 20 * S).latencyNanos();

    assertThat(first).isBetween(90 * MS, 110 * MS);
    assertThat(middle).isBetween(40 * MS, 48 * MS); // 10 ms × (1 + 9 / e), ±10 %
    assertThat(end).isBetween(9 * MS, 12 * MS); // under 1 % of the excess left, ±10 %
  }

  @Test
  void deadRefusesConnectionsAndUnresponsiveNeverAnswers() {
    assertThat(at(Behaviour.dead(), 0)).isEqualTo(Outcome.connectFailure(Duration.ofMillis(1)));
    assertThat(at(Behaviour.dead(Duration.ofSeconds(1)), 0).latencyNanos()).isEqualTo(S);
    assertThat(at(Behaviour.unresponsive(), 0).kind()).isEqualTo(Outcome.Kind.NO_ANSWER);
  }

  @Test
  void failingAnswersTheStatusForTheGivenShareAfterTheSameTime() {
    Behaviour b = Behaviour.steady(Duration.ofMillis(10), 0).failing(0.3, 503);
    int failed = 0;
    for (int i = 0; i < 10_000; i++) {
      Outcome o = at(b, 0);
      assertThat(o.latencyNanos()).isEqualTo(10 * MS);
      failed += o.status() == 503 ? 1 : 0;
    }
    assertThat(failed).isBetween(2_800, 3_200);
  }

  @Test
  void timingOutLeavesTheGivenShareUnanswered() {
    Behaviour b = Behaviour.steady(Duration.ofMillis(10)).timingOut(0.5);
    int hung = 0;
    for (int i = 0; i < 10_000; i++) {
      hung += at(b, 0).kind() == Outcome.Kind.NO_ANSWER ? 1 : 0;
    }
    assertThat(hung).isBetween(4_800, 5_200);
  }

  @Test
  void switchAtHandsOverAtThatTimeAndTheNextBehaviourCountsFromThere() {
    Behaviour b = Behaviour.dead()
        .switchAt(Duration.ofSeconds(10), Behaviour.coldStart(Duration.ofMillis(10), 5, Duration.ofSeconds(10)))
        .switchAt(Duration.ofSeconds(30), Behaviour.unresponsive());

    assertThat(at(b, 9 * S).kind()).isEqualTo(Outcome.Kind.CONNECT_FAILURE);
    assertThat(at(b, 10 * S).latencyNanos()).as("cold at its own time 0").isGreaterThan(40 * MS);
    assertThat(at(b, 29 * S).latencyNanos()).isLessThan(12 * MS);
    assertThat(at(b, 30 * S).kind()).isEqualTo(Outcome.Kind.NO_ANSWER);
  }

  @Test
  void duringReplacesTheBehaviourOnlyInsideTheWindow() {
    Behaviour b = Behaviour.steady(Duration.ofMillis(10)).during(Duration.ofSeconds(10), Duration.ofSeconds(20),
        Behaviour.dead());

    assertThat(at(b, 10 * S - 1).kind()).isEqualTo(Outcome.Kind.RESPONSE);
    assertThat(at(b, 10 * S).kind()).isEqualTo(Outcome.Kind.CONNECT_FAILURE);
    assertThat(at(b, 20 * S - 1).kind()).isEqualTo(Outcome.Kind.CONNECT_FAILURE);
    assertThat(at(b, 20 * S).kind()).isEqualTo(Outcome.Kind.RESPONSE);
  }

  @Test
  void brownoutFailsAShareOnlyInItsWindow() {
    Behaviour b = Behaviour.brownout(Behaviour.steady(Duration.ofMillis(10)), 1, 500, Duration.ofSeconds(5),
        Duration.ofSeconds(6));

    assertThat(at(b, 4 * S).status()).isEqualTo(200);
    assertThat(at(b, 5 * S).status()).isEqualTo(500);
    assertThat(at(b, 6 * S).status()).isEqualTo(200);
  }

  @Test
  void withCapacitySlowsDownInProportionBeyondIt() {
    Behaviour b = Behaviour.steady(Duration.ofMillis(10), 0).withCapacity(4);

    assertThat(b.respond(0, 3, random).latencyNanos()).isEqualTo(10 * MS); // the 4th at once
    assertThat(b.respond(0, 7, random).latencyNanos()).isEqualTo(20 * MS); // 8 sharing 4
  }

  @Test
  void badValuesAreRefusedNamingTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> Behaviour.steady(Duration.ZERO))
        .isInstanceOf(MeshConfigException.class).hasMessage("behaviour.latency: PT0S (expected: > 0s)");
    assertThatThrownBy(() -> Behaviour.steady(Duration.ofMillis(1), 1.5))
        .isInstanceOf(MeshConfigException.class).hasMessage("behaviour.jitter: 1.5 (expected: a fraction in [0, 1))");
    assertThatThrownBy(() -> Behaviour.dead().failing(2, 500))
        .isInstanceOf(MeshConfigException.class).hasMessage("behaviour.share: 2.0 (expected: a share in 0..1)");
    assertThatThrownBy(() -> Behaviour.dead().failing(0.1, 99))
        .isInstanceOf(MeshConfigException.class).hasMessage("outcome.status: 99 (expected: an HTTP status in 100..599)");
    assertThatThrownBy(() -> Behaviour.dead().during(Duration.ofSeconds(2), Duration.ofSeconds(1), Behaviour.dead()))
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("behaviour.during.to: PT1S (expected: > behaviour.during.from (PT2S))");
    assertThatThrownBy(() -> Behaviour.coldStart(Duration.ofMillis(1), 0.5, Duration.ofSeconds(1)))
        .isInstanceOf(MeshConfigException.class).hasMessage("behaviour.coldStartFactor: 0.5 (expected: a finite factor >= 1)");
    assertThatThrownBy(() -> Behaviour.dead().withCapacity(0))
        .isInstanceOf(MeshConfigException.class).hasMessage("behaviour.capacity: 0 (expected: >= 1)");
  }
}
