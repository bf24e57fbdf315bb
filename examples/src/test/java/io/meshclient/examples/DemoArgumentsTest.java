package io.meshclient.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoArgumentsTest {
  @Test
  void runsTenSecondsUnlessToldOtherwise() {
    assertThat(Demo.duration(new String[0])).isEqualTo(Duration.ofSeconds(10));
    assertThat(Demo.duration(new String[] {"--seconds", "3"})).isEqualTo(Duration.ofSeconds(3));
    assertThat(Demo.duration(new String[] {"--seconds=30"})).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void rejectsWhatIsNotAPositiveWholeNumberOfSeconds() {
    assertThatThrownBy(() -> Demo.duration(new String[] {"--seconds", "0"}))
        .hasMessage("--seconds: 0 (expected: a whole number of seconds, 1..86400)");
    assertThatThrownBy(() -> Demo.duration(new String[] {"--seconds", "ten"}))
        .hasMessageStartingWith("--seconds: ten ");
    assertThatThrownBy(() -> Demo.duration(new String[] {"--seconds"}))
        .hasMessageStartingWith("--seconds: missing value");
    assertThatThrownBy(() -> Demo.duration(new String[] {"--minutes", "1"}))
        .hasMessage("unknown argument: --minutes");
  }

  @Test
  void runRejectsANonPositiveDuration() {
    assertThatThrownBy(() -> Demo.run(Duration.ZERO, System.out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration: PT0S (expected: > 0s)");
  }
}
