package io.meshclient.discovery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.discovery.internal.EndpointsFile;
import io.meshclient.discovery.internal.OptionalLibrary;
import io.meshclient.discovery.internal.ServiceWatchers;
import io.meshclient.discovery.internal.YamlFormat;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoints of every service from one YAML or JSON file, reloaded when it changes: the
 * {@code file:} source ({@code file:/etc/mesh/endpoints.yaml}). The format follows the extension
 * ({@code .json} is JSON, anything else YAML, which needs
 * {@code com.fasterxml.jackson.dataformat:jackson-dataformat-yaml}):
 *
 * <pre>
 * services:
 *   orders:
 *     endpoints:
 *       - {host: 10.0.0.7, port: 8080, zone: eu-west-1a, weight: 2, labels: {version: v2}}
 *       - {host: 10.0.0.8, port: 8080, healthy: false}
 * </pre>
 *
 * <p>A change is seen through the file system's watch service on the file's directory (which also
 * sees a Kubernetes ConfigMap's symlink swap) and, as a safety net and where no watch service
 * works, by re-reading the file every {@linkplain Builder#pollInterval poll interval}. Each valid
 * version replaces the previous one whole. A version that cannot be read or parsed is reported
 * with its line to every watcher ({@link Listener#onError}) and changes nothing: the last good
 * endpoints stay. A service the new version no longer lists is reported the same way; a service
 * listed with {@code endpoints: []} has none.
 *
 * <pre>{@code
 * try (FileDiscovery file = FileDiscovery.builder(Path.of("/etc/mesh/endpoints.yaml"))
 *     .pollInterval(Duration.ofSeconds(5))
 *     .build()) {
 *   MeshClient mesh = MeshClient.builder().discovery(file).service("orders", s -> {}).build();
 * }
 * }</pre>
 *
 * <p>Thread-safe. One daemon thread watches the file until {@link #close()}.
 */
public final class FileDiscovery implements ServiceDiscovery {
  private static final Logger log = LoggerFactory.getLogger(FileDiscovery.class);

  /** How often the file is re-read in any case unless set otherwise: 2 seconds. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);

  /** Events closer together than this are read as one change (an editor's truncate-then-write). */
  private static final long SETTLE_MILLIS = 20;

  private final Path file;
  private final JsonFactory format;
  private final Duration pollInterval;
  private final ServiceWatchers watchers = new ServiceWatchers(this::publishCurrent);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private volatile @Nullable Map<String, EndpointSet> current;
  private volatile @Nullable Exception error;
  private byte @Nullable [] lastContent;
  private final @Nullable WatchService watchService;

  private FileDiscovery(Builder b) {
    this.file = b.file.toAbsolutePath().normalize();
    this.format = format(file, file.toString());
    this.pollInterval = b.pollInterval;
    // Registered before the first read, so no change after it can go unseen.
    this.watchService = b.watch ? register() : null;
    reload();
    this.thread = new Thread(this::run, "mesh-file-discovery " + file.getFileName());
    thread.setDaemon(true);
    thread.start();
  }

  /** A source for {@code file} with the default settings. */
  public static FileDiscovery of(Path file) {
    return builder(file).build();
  }

  /** A builder for a source reading {@code file}. */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** The file this source reads. */
  public Path file() {
    return file;
  }

  /**
   * Pushes the service's endpoints from the current version of the file at once, then every change.
   *
   * @throws IllegalArgumentException if the file is valid but does not list the service
   */
  @Override
  public Subscription watch(String service, Listener listener) {
    Map<String, EndpointSet> now = current;
    if (now != null && !now.containsKey(service)) {
      throw new IllegalArgumentException(file + " does not list service '" + service + "'; it lists "
          + new TreeSet<>(now.keySet()));
    }
    return watchers.add(service, listener);
  }

  /** Stops watching the file. Idempotent. */
  @Override
  public void close() {
    closed.countDown();
    WatchService ws = watchService;
    if (ws != null) {
      try {
        ws.close();
      } catch (IOException e) {
        log.debug("closing the watch service of {} failed", file, e);
      }
    }
  }

  @Override
  public String toString() {
    return "file:" + file;
  }

  private void publishCurrent(String service) {
    Map<String, EndpointSet> now = current;
    EndpointSet set = now == null ? null : now.get(service);
    Exception failure = error;
    if (set != null) {
      watchers.publish(service, set);
    } else if (failure != null) {
      watchers.fail(service, failure);
    }
  }

  /** Reads the file; a new valid version replaces the old one whole. */
  synchronized void reload() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      failAll(new IOException(file + ": no such file", e));
      return;
    } catch (IOException e) {
      failAll(new IOException(file + ": unreadable: " + e, e));
      return;
    }
    if (Arrays.equals(content, lastContent)) {
      return; // unchanged: a touch, or a poll with nothing new
    }
    lastContent = content;
    Map<String, EndpointSet> parsed;
    try {
      parsed = EndpointsFile.parse(content, format, file.toString());
    } catch (EndpointsFile.Invalid e) {
      log.warn("{}; keeping the endpoints of its last valid version", e.getMessage());
      failAll(e);
      return;
    }
    current = parsed;
    error = null;
    log.debug("{}: loaded {} service(s)", file, parsed.size());
    for (String service : watchers.services()) {
      EndpointSet set = parsed.get(service);
      if (set != null) {
        watchers.publish(service, set);
      } else {
        watchers.fail(service, new IOException(file + " no longer lists service '" + service
            + "'; keeping its last endpoints"));
      }
    }
  }

  private void failAll(Exception failure) {
    error = failure;
    if (!(failure instanceof EndpointsFile.Invalid)) {
      lastContent = null; // the same content, once readable again, must be read again
    }
    for (String service : watchers.services()) {
      watchers.fail(service, failure);
    }
  }

  private void run() {
    WatchService ws = watchService;
    try {
      while (closed.getCount() > 0) {
        if (ws != null) {
          WatchKey key = ws.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            ws = drain(ws, key);
          }
        } else if (closed.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        if (closed.getCount() > 0) {
          reload();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the thread ends
    } catch (RuntimeException e) {
      log.error("watching {} stopped", file, e);
    }
  }

  /** Takes the events of one change (and those right after it); a directory gone means polling. */
  private @Nullable WatchService drain(WatchService ws, WatchKey first) throws InterruptedException {
    WatchKey key = first;
    while (key != null) {
      key.pollEvents();
      if (!key.reset()) {
        log.info("{} can no longer be watched; re-reading it every {} ms", file.getParent(), pollInterval.toMillis());
        try {
          ws.close();
        } catch (IOException e) {
          log.debug("closing the watch service of {} failed", file, e);
        }
        return null;
      }
      key = ws.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }
    return ws;
  }

  private @Nullable WatchService register() {
    Path dir = file.getParent();
    try {
      WatchService ws = file.getFileSystem().newWatchService();
      try {
        dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      } catch (IOException | RuntimeException e) {
        ws.close();
        throw e;
      }
      return ws;
    } catch (IOException | UnsupportedOperationException e) {
      log.info("cannot watch {} ({}); re-reading {} every {} ms", dir, e.toString(), file.getFileName(),
          pollInterval.toMillis());
      return null;
    }
  }

  private static JsonFactory format(Path file, String uri) {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      return new JsonFactory();
    }
    OptionalLibrary.require("com.fasterxml.jackson.dataformat.yaml.YAMLFactory",
        "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml", uri);
    return YamlFormat.factory();
  }

  /**
   * Settings of a {@link FileDiscovery}. Not thread-safe.
   */
  public static final class Builder {
    private final Path file;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private boolean watch = true;

    private Builder(Path file) {
      this.file = requireNonNull(file, "file");
    }

    /** How often the file is re-read even without a change event: {@link #DEFAULT_POLL_INTERVAL} by default, 10 ms at least. */
    public Builder pollInterval(Duration pollInterval) {
      requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.compareTo(Duration.ofMillis(10)) < 0) {
        throw new MeshConfigException("discovery.poll", pollInterval, ">= 10ms");
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** Whether to use the file system's watch service (default) or only re-read every poll interval. */
    public Builder watch(boolean watch) {
      this.watch = watch;
      return this;
    }

    /**
     * Reads the file once and starts watching it. A missing or invalid file is not an error here:
     * it is reported to the watchers, and the file is read again when it changes.
     *
     * @throws MeshConfigException if the file is YAML and jackson-dataformat-yaml is missing
     */
    public FileDiscovery build() {
      return new FileDiscovery(this);
    }
  }
}
