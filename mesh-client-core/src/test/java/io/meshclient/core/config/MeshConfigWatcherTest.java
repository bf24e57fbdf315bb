package io.meshclient.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshclient.core.MeshClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshConfigWatcherTest {
  @TempDir
  Path dir;

  private Path file;
  private MeshClient mesh;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void start() throws IOException {
    // The tests log through slf4j-simple, which writes each line to the current System.err.
    originalErr = System.err;
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (log) {
          log.write(b);
        }
        originalErr.write(b);
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    file = dir.resolve("mesh.yaml");
    write(maxAttempts(1));
    mesh = MeshClient.builder().config(MeshConfigFile.load(file)).build();
  }

  @AfterEach
  void stop() {
    mesh.close();
    System.setErr(originalErr);
  }

  private String logged() {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8);
    }
  }

  private static String maxAttempts(int n) {
    return "services:\n  orders:\n    endpoints: [{host: 127.0.0.1, port: 8081}]\n    retry: {maxAttempts: " + n + "}\n";
  }

  private int maxAttempts() {
    return mesh.config().services().get("orders").policy().retry().maxAttempts();
  }

  /** Replaces the file in one step, as a deployment tool or a ConfigMap update does. */
  private void write(String content) throws IOException {
    Path next = Files.writeString(file.resolveSibling(file.getFileName() + ".next"), content);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Applies through the mesh, except that it throws {@code failure} once when one is set. */
  private Function<MeshConfig, ReloadResult> failingOnce(AtomicReference<RuntimeException> failure) {
    return config -> {
      RuntimeException e = failure.getAndSet(null);
      if (e != null) {
        throw e;
      }
      return mesh.reload(config);
    };
  }

  @Test
  void anUnexpectedFailureIsRefusedLoggedAndTheWatchGoesOn() throws Exception {
    AtomicReference<RuntimeException> failure = new AtomicReference<>(new UnsupportedOperationException("balancer exploded"));
    try (MeshConfigWatcher watcher = MeshConfigWatcher.builder(file, mesh).pollInterval(Duration.ofMillis(100))
        .reloadWith(failingOnce(failure)).build()) {
      write(maxAttempts(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastError() != null);
      assertThat(watcher.lastError()).isInstanceOf(UnsupportedOperationException.class).hasMessage("balancer exploded");
      assertThat(watcher.reloads()).isZero();
      assertThat(maxAttempts()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> logged().contains("not applied, the running configuration stays"));
      assertThat(logged()).contains(file.toString()).contains("balancer exploded");

      // the watch thread is still there: the next valid version applies
      write(maxAttempts(3));
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.reloads() == 1);
      assertThat(watcher.lastError()).isNull();
      assertThat(maxAttempts()).isEqualTo(3);
    }
  }

  @Test
  void anIllegalStateWhileTheMeshRunsIsARefusalNotAnEnd() throws Exception {
    AtomicReference<RuntimeException> failure = new AtomicReference<>(new IllegalStateException("not the mesh closing"));
    try (MeshConfigWatcher watcher = MeshConfigWatcher.builder(file, mesh).pollInterval(Duration.ofMillis(100))
        .reloadWith(failingOnce(failure)).build()) {
      write(maxAttempts(2));
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastError() != null);
      assertThat(watcher.lastError()).isInstanceOf(IllegalStateException.class);

      write(maxAttempts(3));
      await().atMost(Duration.ofSeconds(10)).until(() -> watcher.reloads() == 1);
      assertThat(maxAttempts()).isEqualTo(3);
    }
  }

  @Test
  void aClosedMeshEndsTheWatchWithoutARefusal() throws Exception {
    try (MeshConfigWatcher watcher = MeshConfigWatcher.builder(file, mesh).pollInterval(Duration.ofHours(1)).build()) {
      mesh.close();
      write(maxAttempts(2));
      assertThat(watcher.check()).isFalse();
      assertThat(watcher.lastError()).isNull();
      assertThat(logged()).doesNotContain("not applied");
    }
  }
}
