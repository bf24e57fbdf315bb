package io.meshclient.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Differences and ratios are taken within a round, then the median over rounds is reported. */
class PeerReportTest {
  @Test
  void addedLatencyIsEachRoundsDifferenceToRawThenTheMedian() {
    PeerReport report = new PeerReport(PeersBenchmark.Settings.smoke());
    long[][] rounds = {{100, 110}, {200, 240}, {300, 305}}; // raw and mesh p50, us
    for (long[] round : rounds) {
      report.latency("raw", result(round[0]));
      report.latency("mesh", result(round[1]));
      report.endLatencyRound();
    }
    // Differences 10, 40 and 5: the median is 10, although the medians of the p50s differ by 40.
    assertThat(report.median("added_p50_us.mesh")).isCloseTo(10, offset(0.5));
    assertThat(report.median("latency_p50_us.raw")).isCloseTo(200, offset(0.5));
    assertThat(report.lines()).anyMatch(line -> line.startsWith("RESULT peers.added_p50_us.mesh.max 40."));
  }

  @Test
  void ratiosAreTakenWithinARound() {
    PeerReport report = new PeerReport(PeersBenchmark.Settings.smoke());
    report.saturation("raw", new Load.ClosedLoopResult(1000, 0, Duration.ofSeconds(1)));
    report.saturation("mesh", new Load.ClosedLoopResult(900, 0, Duration.ofSeconds(1)));
    report.endSaturationRound();
    report.slow("mesh", result(2_000));
    report.slow("spring", result(20_000));
    report.endSlowRound();

    assertThat(report.median("saturation_ratio.mesh")).isEqualTo(0.9);
    assertThat(report.median("slow_p99_ratio.spring_vs_mesh")).isCloseTo(10, offset(0.05));
    assertThat(report.median("saturation_ratio.spring")).isNaN();
  }

  /** An open-loop result whose every latency is {@code micros}. */
  private static Load.OpenLoopResult result(long micros) {
    Histogram latency = new Histogram(3);
    latency.recordValueWithCount(micros * 1000, 100);
    return new Load.OpenLoopResult(latency, 100, new long[] {100}, 0, 0, 1_000_000, 0, 0);
  }
}
