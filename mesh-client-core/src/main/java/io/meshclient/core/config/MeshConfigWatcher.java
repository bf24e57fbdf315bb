package io.meshclient.core.config;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.MeshConfigException;
import io.meshclient.core.MeshClient;
import io.meshclient.core.internal.FileWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running mesh in step with its configuration file: each time the file changes it is read
 * again and {@linkplain MeshClient#reload applied}. A valid version swaps policies atomically per
 * service (calls in flight finish on the old ones); a version that cannot be read, is invalid or
 * fails to apply for any other reason is refused, logged (with the field path when there is one)
 * and kept in {@link #lastError()}, and the running configuration stays. Watching goes on until
 * {@link #close()} or until the mesh is closed.
 *
 * <pre>{@code
 * Path file = Path.of("/etc/mesh/mesh.yaml");
 * MeshClient mesh = MeshClient.builder().config(MeshConfigFile.load(file)).build();
 * MeshConfigWatcher watcher = MeshConfigWatcher.builder(file, mesh).build();
 * ...
 * watcher.close();
 * mesh.close();
 * }</pre>
 *
 * <p>Changes are seen through the file system's watch service on the file's directory (which also
 * sees a Kubernetes ConfigMap's symlink swap) and, as a safety net and where no watch service
 * works, by reading the file every {@linkplain Builder#pollInterval poll interval}; content equal
 * to the last read is skipped. Thread-safe; one daemon thread until {@link #close()}.
 */
public final class MeshConfigWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshConfigWatcher.class);

  /** How often the file is read in any case unless set otherwise: 2 seconds. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  private final Path file;
  private final MeshClient mesh;
  private final Function<MeshConfig, ReloadResult> reload;
  private final AtomicLong reloads = new AtomicLong();
  private final FileWatch watch;
  private byte @Nullable [] lastContent;
  private volatile @Nullable Exception lastError;
  private volatile @Nullable ReloadResult lastResult;

  private MeshConfigWatcher(Builder b) {
    this.file = b.file.toAbsolutePath().normalize();
    this.mesh = b.mesh;
    this.reload = b.reload != null ? b.reload : mesh::reload;
    // Registered before the first read, so no change after it goes unseen.
    this.watch = new FileWatch(file, b.pollInterval, true, "mesh-config-watcher " + file.getFileName(), this::check);
    try {
      lastContent = Files.readAllBytes(file); // the mesh was built from this version
    } catch (IOException e) {
      lastContent = null;
    }
    watch.start();
  }

  /** A builder for a watcher applying {@code file} to {@code mesh}. */
  public static Builder builder(Path file, MeshClient mesh) {
    return new Builder(file, mesh);
  }

  /** The file watched. */
  public Path file() {
    return file;
  }

  /** How many versions of the file were applied (each valid change counts once). */
  public long reloads() {
    return reloads.get();
  }

  /** What the last applied version changed and refused, or {@code null} before the first. */
  public @Nullable ReloadResult lastResult() {
    return lastResult;
  }

  /** Why the last version read was refused, or {@code null} if it was applied. */
  public @Nullable Exception lastError() {
    return lastError;
  }

  /** Reads the file now, as a change would; returns whether a new version was applied. */
  public synchronized boolean check() {
    if (mesh.isClosed()) {
      close(); // nothing left to keep in step
      return false;
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      refuse(new IOException(file + ": unreadable: " + e, e));
      lastContent = null; // the same content, once readable again, must be read again
      return false;
    }
    if (Arrays.equals(content, lastContent)) {
      return false;
    }
    lastContent = content;
    try {
      ReloadResult result = reload.apply(MeshConfigFile.parse(file, content)); // the bytes compared
      lastResult = result;
      lastError = null;
      reloads.incrementAndGet();
      return true;
    } catch (IOException | RuntimeException e) {
      if (mesh.isClosed()) {
        close();
      } else {
        refuse(e);
      }
      return false;
    }
  }

  private void refuse(Exception e) {
    lastError = e;
    if (e instanceof MeshConfigException || e instanceof IOException) {
      log.warn("{}: not applied, the running configuration stays: {}", file, e.getMessage());
    } else { // not a problem of the file's: the stack trace says where it came from
      log.warn("{}: not applied, the running configuration stays: {}", file, e, e);
    }
  }

  /** Stops watching. Idempotent. */
  @Override
  public void close() {
    watch.close();
  }

  /** Builds a {@link MeshConfigWatcher}. Not thread-safe. */
  public static final class Builder {
    private final Path file;
    private final MeshClient mesh;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private @Nullable Function<MeshConfig, ReloadResult> reload;

    private Builder(Path file, MeshClient mesh) {
      this.file = requireNonNull(file, "file");
      this.mesh = requireNonNull(mesh, "mesh");
    }

    /** Sets how often the file is read besides file-system events. */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = requireNonNull(pollInterval, "pollInterval");
      return this;
    }

    /** Tests only: what applies a version read (the mesh's {@code reload} otherwise). */
    Builder reloadWith(Function<MeshConfig, ReloadResult> reload) {
      this.reload = requireNonNull(reload, "reload");
      return this;
    }

    /**
     * Starts watching.
     *
     * @throws MeshConfigException if the poll interval is not positive
     */
    public MeshConfigWatcher build() {
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new MeshConfigException("pollInterval", pollInterval, "> 0s");
      }
      return new MeshConfigWatcher(this);
    }
  }
}
