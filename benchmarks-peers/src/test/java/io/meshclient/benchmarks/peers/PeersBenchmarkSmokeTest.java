package io.meshclient.benchmarks.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness in its shortest runs, over backends in this JVM: every scenario runs for every
 * contender and prints every figure the docs record, and the charts are drawn from its files. It
 * asserts no time: the figures of a run this short mean nothing.
 */
class PeersBenchmarkSmokeTest {
  @Test
  void everyScenarioPrintsEveryFigureAndTheChartsAreDrawn(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(NginxProxy.available(), "nginx is not installed (.ci/run installs Debian's nginx)");
    PeerReport report;
    try (Backends backends = Backends.inProcess(4)) {
      report = new PeersBenchmark(PeersBenchmark.Settings.smoke(), PeersBenchmark.contenders(), backends)
          .run(PeersBenchmark.SCENARIOS);
    }

    List<String> names = report.lines().stream().map(line -> line.split(" ")[1]).toList();
    List<String> expected = new ArrayList<>();
    for (String peer : PeersBenchmark.PEERS) {
      expected.add("peers.added_p50_us." + peer);
      expected.add("peers.added_p99_us." + peer);
      expected.add("peers.saturation_ratio." + peer);
    }
    for (String contender : PeersBenchmark.CONTENDERS) {
      expected.add("peers.slow_p99_ms." + contender);
      expected.add("peers.crash_failed_calls." + contender);
      expected.add("peers.cpu_ms_per_1k." + contender);
      expected.add("peers.retained_heap_mb." + contender);
    }
    expected.add("peers.slow_p99_ratio.spring_vs_mesh");
    expected.add("peers.outside_rss_mb.proxy");
    assertThat(names).containsAll(expected);
    assertThat(report.lines()).allMatch(line -> line.matches("RESULT [a-z0-9_.]+ -?[0-9.]+ [a-zA-Z/]+"), "well formed");
    // Raw OkHttp has nowhere else to send the dead backend's calls; the others must not have failed more.
    assertThat(report.median("crash_failed_calls.raw")).isPositive();
    for (String peer : PeersBenchmark.PEERS) {
      assertThat(report.median("crash_failed_calls." + peer)).as(peer).isLessThan(report.median("crash_failed_calls.raw"));
    }

    report.write(dir);
    List<Path> charts = PeerCharts.render(dir);
    assertThat(charts).extracting(path -> path.getFileName().toString())
        .containsExactly(PeerCharts.LATENCY_PNG, PeerCharts.SLOW_PNG, PeerCharts.SUMMARY_PNG);
    for (Path chart : charts) {
      assertThat(Files.size(chart)).isPositive();
    }
    assertThat(Files.readAllLines(dir.resolve("peers-results.csv"))).first().isEqualTo("name,value,unit");
  }

  @Test
  void theScenariosAndRoundsCanBeChosenButOnlySensibly() {
    assertThat(PeersBenchmark.scenarios("crash,latency")).containsExactly("latency", "crash");
    assertThatThrownBy(() -> PeersBenchmark.scenarios("latency,warp"))
        .hasMessageContaining("-scenarios: warp");
    assertThat(PeersBenchmark.rounds("5")).isEqualTo(5);
    assertThatThrownBy(() -> PeersBenchmark.rounds("0")).hasMessageContaining("-rounds: 0");
    assertThatThrownBy(() -> PeersBenchmark.rounds("many")).hasMessageContaining("-rounds: many");
  }

  @Test
  void aReportOfNoRoundsHasNoFigures() {
    PeerReport report = new PeerReport(PeersBenchmark.Settings.smoke());
    assertThat(report.median("added_p50_us.mesh")).isNaN();
    assertThat(report.lines()).extracting(line -> line.split(" ")[1])
        .containsExactly("peers.rounds", "peers.rate", "peers.saturation_threads");
  }
}
