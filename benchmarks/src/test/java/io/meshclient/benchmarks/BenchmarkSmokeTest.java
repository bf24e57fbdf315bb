package io.meshclient.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.core.MeshSnapshot;
import org.junit.jupiter.api.Test;

/**
 * Runs each benchmark's setup, every benchmark method once, and its teardown, to check that the
 * benchmarks measure working calls. It measures nothing and asserts no time.
 */
class BenchmarkSmokeTest {

  @Test
  void pipelineCallsAnswerTheCannedBodyAndTheMeshCallGoesThroughTheMesh() throws Exception {
    PipelineBenchmark benchmark = new PipelineBenchmark();
    benchmark.setUp();
    try {
      assertThat(benchmark.baseline()).isEqualTo(PipelineBenchmark.BODY);
      assertThat(benchmark.baselineWithCallTimeout()).isEqualTo(PipelineBenchmark.BODY);
      assertThat(benchmark.mesh()).isEqualTo(PipelineBenchmark.BODY);
      assertThat(attemptsSent(benchmark.mesh.snapshot(), PipelineBenchmark.SERVICE)).isEqualTo(1);
      assertThat(benchmark.meshWithoutDeadline()).isEqualTo(PipelineBenchmark.BODY);
      assertThat(attemptsSent(benchmark.meshWithoutDeadline.snapshot(), PipelineBenchmark.SERVICE)).isEqualTo(1);
      assertThat(benchmark.meshObserved()).isEqualTo(PipelineBenchmark.BODY);
      assertThat(attemptsSent(benchmark.meshObserved.snapshot(), PipelineBenchmark.SERVICE)).isEqualTo(1);
      assertThat(benchmark.registry.get("http.client.request.duration").timer().count()).isEqualTo(1);
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  void loopbackCallsReadTheServersBodyAndTheMeshCallGoesThroughTheMesh() throws Exception {
    LoopbackBenchmark benchmark = new LoopbackBenchmark();
    benchmark.setUp();
    try {
      assertThat(benchmark.raw()).hasSize(LoopbackBenchmark.BODY_SIZE);
      assertThat(benchmark.rawWithCallTimeout()).hasSize(LoopbackBenchmark.BODY_SIZE);
      assertThat(benchmark.mesh()).hasSize(LoopbackBenchmark.BODY_SIZE);
      assertThat(attemptsSent(benchmark.mesh.snapshot(), LoopbackBenchmark.SERVICE)).isEqualTo(1);
    } finally {
      benchmark.tearDown();
    }
    assertThat(benchmark.serverExecutor.isTerminated()).isTrue();
  }

  @Test
  void theRunnerSelectsExactlyOneMethodPerFork() throws Exception {
    for (String method : BenchmarkMain.PIPELINE_METHODS) {
      PipelineBenchmark.class.getMethod(method);
    }
    for (String method : BenchmarkMain.LOOPBACK_METHODS) {
      LoopbackBenchmark.class.getMethod(method);
    }
    var options = BenchmarkMain.options(PipelineBenchmark.class, "mesh", true).build();
    assertThat(options.getIncludes()).singleElement().satisfies(include -> {
      assertThat(java.util.regex.Pattern.compile(include).matcher(PipelineBenchmark.class.getName() + ".mesh").find()).isTrue();
      assertThat(java.util.regex.Pattern.compile(include).matcher(PipelineBenchmark.class.getName() + ".meshWithoutDeadline").find()).isFalse();
    });
    assertThat(options.getForkCount().get()).isEqualTo(1);
  }

  @Test
  void roundsMustBeAWholeNumberOfAtLeastOne() {
    assertThat(BenchmarkMain.rounds("5")).isEqualTo(5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchmarkMain.rounds("0"))
        .hasMessage("-rounds: 0 (expected: a whole number >= 1)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchmarkMain.rounds("many"))
        .hasMessage("-rounds: many (expected: a whole number >= 1)");
  }

  @Test
  void theMedianOfRoundsIsTheMiddleValue() {
    assertThat(BenchmarkMain.median(new double[] {1, 5, 9})).isEqualTo(5);
    assertThat(BenchmarkMain.median(new double[] {1, 3, 5, 9})).isEqualTo(4);
  }

  private static long attemptsSent(MeshSnapshot snapshot, String service) {
    return snapshot.service(service).orElseThrow().endpoints().stream()
        .mapToLong(MeshSnapshot.EndpointSnapshot::requests)
        .sum();
  }
}
