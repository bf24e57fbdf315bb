package io.meshclient.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks the mirroring scenario's parts on a short run: copies reach the mirror, RESULT lines. Asserts no time. */
class MirroringScenarioSmokeTest {
  private ExecutorService handlers;
  private ScheduledExecutorService replies;
  private DelayedBackend primary;
  private DelayedBackend mirror;
  private OkHttpClient transport;

  @BeforeEach
  void setUp() throws Exception {
    handlers = Executors.newFixedThreadPool(2);
    replies = Executors.newScheduledThreadPool(1);
    primary = DelayedBackend.start(0, Duration.ofMillis(1), handlers, replies);
    mirror = DelayedBackend.start(1, Duration.ofMillis(20), handlers, replies);
    transport = SlowInstanceScenario.transport();
  }

  @AfterEach
  void tearDown() {
    primary.close();
    mirror.close();
    Clients.shutDown(transport);
    handlers.shutdownNow();
    replies.shutdownNow();
  }

  @Test
  void withMirroringEveryPrimaryRequestIsAlsoCopiedToTheMirror() throws Exception {
    OpenLoopLoad load = new OpenLoopLoad(100, Duration.ZERO, Duration.ofMillis(500), 1);

    MirroringScenario.Run without = MirroringScenario.once(transport, primary, mirror, false, load);
    MirroringScenario.Run with = MirroringScenario.once(transport, primary, mirror, true, load);

    assertThat(without.load().errors()).isZero();
    assertThat(with.load().errors()).isZero();
    assertThat(without.mirrored()).isZero();
    assertThat(with.dropped()).isZero();
    assertThat(with.mirrored()).as("copies of the 50 primaries, those still in flight not yet counted").isBetween(1L, 50L);
    assertThat(primary.served()).isEqualTo(100);

    List<String> lines = MirroringScenario.resultLines(MirroringScenario.settings(new String[] {"-quick"}),
        List.<MirroringScenario.Run[]>of(new MirroringScenario.Run[] {without, with}));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches("RESULT mirroring\\.p99_ratio [0-9.]+ ratio"));
    assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("RESULT mirroring."));
  }
}
