package io.meshclient.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every variant makes working calls and gets its lines; the figures of a run this short mean nothing. */
class DeadlineCostScenarioSmokeTest {
  @Test
  void everyVariantIsMeasuredAgainstRaw() throws Exception {
    List<String> lines;
    try (Backends backends = Backends.inProcess(4)) {
      lines = DeadlineCostScenario.run(backends, 1, 500, Duration.ofMillis(100), Duration.ofMillis(400));
    }
    List<String> names = lines.stream().map(line -> line.split(" ")[1]).toList();
    for (String variant : DeadlineCostScenario.VARIANTS.subList(1, DeadlineCostScenario.VARIANTS.size())) {
      assertThat(names).contains("deadline_cost.added_p50_us." + variant, "deadline_cost.added_p99_us." + variant);
    }
    assertThat(names).doesNotContain("deadline_cost.added_p50_us.raw");
  }
}
