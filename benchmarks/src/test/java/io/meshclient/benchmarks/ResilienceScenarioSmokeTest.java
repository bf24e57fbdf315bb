package io.meshclient.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the resilience scenario's three parts once each on a tiny load (a few hundred calls, well
 * under a few seconds) and checks every RESULT line the README lists comes out. Asserts no time.
 */
class ResilienceScenarioSmokeTest {
  /** 1 round at 200 calls a second: 100 ms warm-up, 400 ms measured, the kill 150 ms into it. */
  private static final ResilienceScenario.Settings TINY = new ResilienceScenario.Settings(200,
      Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(150), 1);

  private ExecutorService handlers;
  private ScheduledExecutorService replies;
  private ScheduledExecutorService killer;
  private OkHttpClient transport;

  @BeforeEach
  void setUp() {
    handlers = Executors.newFixedThreadPool(2);
    replies = Executors.newScheduledThreadPool(2);
    killer = Executors.newSingleThreadScheduledExecutor();
    transport = SlowInstanceScenario.transport();
  }

  @AfterEach
  void tearDown() {
    Clients.shutDown(transport);
    handlers.shutdownNow();
    replies.shutdownNow();
    killer.shutdownNow();
  }

  @Test
  void everyScenarioPrintsItsResultLines() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.addAll(ResilienceScenario.instanceCrash(TINY, transport, handlers, replies, killer));
    lines.addAll(ResilienceScenario.retryStorm(TINY, transport, handlers, replies));
    lines.addAll(ResilienceScenario.hedging(TINY, transport, handlers, replies));

    for (String name : List.of("instance_crash.failed_calls", "instance_crash.failed_calls.max",
        "instance_crash.drain_ms", "instance_crash.drain_ms.max", "retry_storm.extra_load_ratio",
        "retry_storm.extra_load_ratio.bound", "retry_storm.extra_load_ratio.unlimited", "hedging.p99_ms.without",
        "hedging.p99_ms.with", "hedging.p99_ratio", "hedging.extra_load_ratio")) {
      assertThat(lines).as(name).anySatisfy(l ->
          assertThat(l).matches("RESULT " + java.util.regex.Pattern.quote(name) + " [0-9.]+ (calls|ms|ratio)"));
    }
    assertThat(lines).hasSize(11);
  }

  @Test
  void quickAndRoundsArgumentsAreRead() {
    ResilienceScenario.Settings quick = ResilienceScenario.Settings.parse(new String[] {"-quick", "-rate", "50"});
    assertThat(quick.rounds()).isEqualTo(1);
    assertThat(quick.rate()).isEqualTo(50);
    assertThat(ResilienceScenario.Settings.parse(new String[] {"-quick", "-rounds", "2"}).rounds()).isEqualTo(2);
  }
}
