package io.meshclient.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the etcd scenario with a few changes against a real etcd; it measures nothing and asserts no time. */
class EtcdPropagationScenarioTest {

  @Test
  void everyChangeReachesTheMeshAndTheFiguresArePrinted() throws Exception {
    List<String> lines = EtcdPropagationScenario.run(3, 1);
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).matches("RESULT discovery\\.etcd\\.propagation\\.ms \\d+\\.\\d{3} ms");
    assertThat(lines.get(1)).startsWith("RESULT discovery.etcd.propagation.p99.ms ");
    assertThat(lines.get(2)).startsWith("RESULT discovery.etcd.propagation.max.ms ");
    assertThat(lines.get(3)).startsWith("RESULT discovery.etcd.write.ms ");
    assertThat(lines.get(4)).startsWith("RESULT discovery.etcd.write.p99.ms ");
    assertThat(lines.get(5)).isEqualTo("RESULT discovery.etcd.propagation.changes 3 changes");
  }

  @Test
  void theP99IsTheNearestRank() {
    double[] sorted = new double[200];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1;
    }
    assertThat(EtcdPropagationScenario.percentile(sorted, 0.99)).isEqualTo(198);
    assertThat(EtcdPropagationScenario.percentile(new double[] {5}, 0.99)).isEqualTo(5);
    assertThat(EtcdPropagationScenario.resultLines(new double[] {3, 1, 2}, new double[] {0.5, 1, 2}))
        .containsExactly("RESULT discovery.etcd.propagation.ms 2.000 ms", "RESULT discovery.etcd.propagation.p99.ms 3.000 ms",
            "RESULT discovery.etcd.propagation.max.ms 3.000 ms", "RESULT discovery.etcd.write.ms 1.000 ms",
            "RESULT discovery.etcd.write.p99.ms 2.000 ms", "RESULT discovery.etcd.propagation.changes 3 changes");
  }
}
