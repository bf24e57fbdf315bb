package io.meshclient.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meshclient.api.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks the slow-instance scenario's parts on a short run: the backends, the load generator
 * through a real mesh, the RESULT lines and the charts. It measures nothing and asserts no time.
 */
class SlowInstanceScenarioSmokeTest {
  private ExecutorService handlers;
  private ScheduledExecutorService replies;
  private final List<DelayedBackend> backends = new ArrayList<>();
  private OkHttpClient transport;

  @BeforeEach
  void setUp() throws Exception {
    handlers = Executors.newFixedThreadPool(2);
    replies = Executors.newScheduledThreadPool(1);
    backends.add(DelayedBackend.start(0, Duration.ofMillis(1), handlers, replies));
    backends.add(DelayedBackend.start(1, Duration.ofMillis(5), handlers, replies));
    transport = SlowInstanceScenario.transport();
  }

  @AfterEach
  void tearDown() {
    backends.forEach(DelayedBackend::close);
    Clients.shutDown(transport);
    handlers.shutdownNow();
    replies.shutdownNow();
  }

  @Test
  void aBackendAnswersWithItsIndex() throws Exception {
    Request request = new Request.Builder().url("http://127.0.0.1:" + backends.get(1).port() + "/").build();
    try (Response response = transport.newCall(request).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header(DelayedBackend.HEADER)).isEqualTo("1");
      assertThat(response.body().string()).isEqualTo("{\"ok\":true}");
    }
    assertThat(backends.get(1).served()).isEqualTo(1);
    assertThatThrownBy(() -> backends.get(0).delay(Duration.ofMillis(-1)))
        .hasMessage("delay: PT-0.001S (expected: >= 0)");
  }

  @Test
  void theLoadGoesThroughTheMeshAndEveryRequestIsCounted() throws Exception {
    List<Endpoint> endpoints = backends.stream().map(b -> Endpoint.of("127.0.0.1", b.port())).toList();
    OpenLoopLoad load = new OpenLoopLoad(200, Duration.ofMillis(250), Duration.ofMillis(500), 2);
    assertThat(load.requests()).isEqualTo(150);

    OpenLoopLoad.Result result = SlowInstanceScenario.once(transport, endpoints, "round_robin", load);

    assertThat(result.errors()).isZero();
    assertThat(result.latency().getTotalCount()).isEqualTo(100); // the measured window only
    assertThat(Arrays.stream(result.perBackend()).sum()).isEqualTo(100);
    assertThat(result.perBucket().length).isEqualTo(3);
    long answered = 0;
    for (int b = 0; b < result.perBucket().length; b++) {
      answered += result.answered(b);
    }
    assertThat(answered).isEqualTo(150);
    assertThat(backends.get(0).served() + backends.get(1).served()).isEqualTo(150);
    // Round robin alternates between the two: the slow one gets half, fast or not.
    assertThat(result.measuredShare(1)).isCloseTo(0.5, within(0.05));
    assertThat(result.shareWithin(1, Duration.ofMillis(250))).isCloseTo(0.5, within(0.1));
  }

  @Test
  void theLoadRefusesSettingsItCannotRun() {
    assertThatThrownBy(() -> new OpenLoopLoad(0, Duration.ZERO, Duration.ofSeconds(1), 4))
        .hasMessage("rate: 0 (expected: 1 to 100000 requests per second)");
    assertThatThrownBy(() -> new OpenLoopLoad(100, Duration.ZERO, Duration.ofMillis(100), 4))
        .hasMessage("measure: PT0.1S (expected: >= PT0.25S)");
  }

  @Test
  void settingsComeFromTheCommandLine() {
    SlowInstanceScenario.Settings defaults = SlowInstanceScenario.Settings.parse(new String[] {""});
    assertThat(defaults.rate()).isEqualTo(500);
    assertThat(defaults.rounds()).isEqualTo(3);
    assertThat(defaults.measure()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.out().endsWith(Paths.get("docs", "benchmarks"))).isTrue();

    SlowInstanceScenario.Settings quick = SlowInstanceScenario.Settings.parse(
        new String[] {"-quick", "-rate", "200", "-out", "/tmp/x"});
    assertThat(quick.rounds()).isEqualTo(1);
    assertThat(quick.rate()).isEqualTo(200);
    assertThat(quick.measure()).isEqualTo(Duration.ofSeconds(3));
    assertThat(quick.out()).isEqualTo(Paths.get("/tmp/x"));

    assertThatThrownBy(() -> SlowInstanceScenario.Settings.parse(new String[] {"-rate", "fast"}))
        .hasMessage("-rate: fast (expected: a whole number >= 1)");
    assertThatThrownBy(() -> SlowInstanceScenario.Settings.parse(new String[] {"-loud", "1"}))
        .hasMessageStartingWith("argument: -loud (expected: -quick");
  }

  @Test
  void theRatiosAreTakenWithinARoundAndTheirMedianReported() {
    Map<String, List<OpenLoopLoad.Result>> results = new LinkedHashMap<>();
    results.put(SlowInstanceScenario.ALL_HEALTHY, List.of(result(10, 0), result(20, 0), result(10, 0)));
    results.put("round_robin", List.of(result(40, 25), result(100, 25), result(30, 25)));
    results.put("least_request", List.of(result(20, 10), result(20, 10), result(20, 10)));
    results.put("peak_ewma", List.of(result(11, 1), result(22, 1), result(12, 1)));
    SlowInstanceScenario.Settings settings = SlowInstanceScenario.Settings.parse(new String[0]);

    List<String> lines = SlowInstanceScenario.resultLines(settings, results);

    Map<String, Double> figures = new LinkedHashMap<>();
    for (String line : lines) {
      String[] parts = line.split(" ");
      figures.put(parts[1], Double.parseDouble(parts[2]));
    }
    assertThat(figures).containsEntry("slow_instance.rounds", 3.0);
    assertThat(figures.get("slow_instance.round_robin.p99_ms")).isCloseTo(40, within(0.1));
    assertThat(figures.get("slow_instance.round_robin.p99_ratio")).isCloseTo(4, within(0.01)); // per round 4, 5, 3
    assertThat(figures.get("slow_instance.round_robin.p99_ratio.min")).isCloseTo(3, within(0.01));
    assertThat(figures.get("slow_instance.round_robin.p99_ratio.max")).isCloseTo(5, within(0.01));
    assertThat(figures.get("slow_instance.least_request.p99_ratio")).isCloseTo(2, within(0.01));
    assertThat(figures.get("slow_instance.peak_ewma.p99_ratio")).isCloseTo(1.1, within(0.01));
    assertThat(figures).containsEntry("slow_instance.peak_ewma.slow_share_2s", 1.0);
    assertThat(figures).containsEntry("slow_instance.round_robin.slow_share", 25.0);
    for (String run : results.keySet()) {
      assertThat(figures).containsKeys("slow_instance." + run + ".p50_ms", "slow_instance." + run + ".p99_ms",
          "slow_instance." + run + ".p999_ms", "slow_instance." + run + ".slow_share_2s");
    }
    assertThat(lines).allSatisfy(line -> assertThat(line).matches("RESULT [a-z0-9_.]+ -?[0-9.]+ \\S+"));
  }

  @Test
  void theChartsAreDrawnFromTheCsvFiles(@TempDir Path dir) throws Exception {
    Map<String, List<OpenLoopLoad.Result>> results = new LinkedHashMap<>();
    results.put(SlowInstanceScenario.ALL_HEALTHY, List.of(result(10, 25)));
    results.put("round_robin", List.of(result(40, 25)));
    results.put("peak_ewma", List.of(result(11, 2)));

    SlowInstanceCharts.writeCsv(dir, 500, results);
    List<Path> charts = SlowInstanceCharts.render(dir);

    assertThat(Files.readAllLines(dir.resolve(SlowInstanceCharts.SUMMARY_CSV))).hasSize(4);
    assertThat(Files.readAllLines(dir.resolve(SlowInstanceCharts.SHARE_CSV))).hasSize(1 + 3 * 8);
    assertThat(charts).containsExactly(dir.resolve(SlowInstanceCharts.LATENCY_PNG), dir.resolve(SlowInstanceCharts.SHARE_PNG));
    for (Path chart : charts) {
      byte[] png = Files.readAllBytes(chart);
      assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
    }
  }

  /** A run of 100 requests whose p99 is {@code p99Millis}, {@code slowPercent} of them to the slow backend, over 2 s. */
  private static OpenLoopLoad.Result result(long p99Millis, int slowPercent) {
    Histogram latency = new Histogram(3);
    latency.recordValueWithCount(1_000_000, 98);
    latency.recordValueWithCount(p99Millis * 1_000_000, 2);
    long[][] perBucket = new long[8][SlowInstanceScenario.BACKENDS];
    for (long[] bucket : perBucket) {
      bucket[SlowInstanceScenario.SLOW] = slowPercent;
      bucket[0] = 100 - slowPercent;
    }
    long[] perBackend = new long[SlowInstanceScenario.BACKENDS];
    perBackend[SlowInstanceScenario.SLOW] = slowPercent;
    perBackend[0] = 100 - slowPercent;
    return new OpenLoopLoad.Result(latency, perBucket, perBackend, 0, 0);
  }
}
