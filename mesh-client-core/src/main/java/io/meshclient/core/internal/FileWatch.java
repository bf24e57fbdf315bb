package io.meshclient.core.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check of one file whenever it may have changed: on the file system's events for its
 * directory (which also sees a Kubernetes ConfigMap's symlink swap), and, as a safety net and
 * where no watch service works, every poll interval. Events closer together than a few
 * milliseconds (an editor's truncate-then-write) make one check. The check itself reads the file
 * and decides whether anything changed.
 *
 * <p>Made in two steps so that no change goes unseen: the constructor registers the watch, the
 * owner reads the file's first version, then {@link #start()} starts the daemon thread. Used by the
 * configuration watcher; the file discovery source keeps a copy of its own, because discovery
 * depends on the API module, not on core. Thread-safe.
 */
public final class FileWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FileWatch.class);

  /** Events closer together than this are one change. */
  private static final long SETTLE_MILLIS = 20;

  private final Path file;
  private final Duration pollInterval;
  private final Runnable check;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private volatile @Nullable WatchService watchService;

  /**
   * Registers the watch (unless {@code watch} is false: then the file is only polled).
   *
   * @param check reads the file; run on the watch's thread, never concurrently with itself
   */
  public FileWatch(Path file, Duration pollInterval, boolean watch, String threadName, Runnable check) {
    this.file = requireNonNull(file, "file");
    this.pollInterval = requireNonNull(pollInterval, "pollInterval");
    this.check = requireNonNull(check, "check");
    this.watchService = watch ? register() : null;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
  }

  /** Starts the thread that runs the checks. */
  public void start() {
    thread.start();
  }

  /** Stops watching. Idempotent. */
  @Override
  public void close() {
    closed.countDown();
    WatchService ws = watchService;
    if (ws != null) {
      closeQuietly(ws);
    }
  }

  private void run() {
    try {
      while (closed.getCount() > 0) {
        WatchService ws = watchService;
        if (ws != null) {
          WatchKey key = ws.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            drain(ws, key);
          }
        } else if (closed.await(pollInterval.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
        if (closed.getCount() > 0) {
          check.run();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      // closed: the thread ends
    } catch (RuntimeException e) {
      log.error("watching {} stopped", file, e);
    }
  }

  /** Takes the events of one change and those right after it; a directory gone means polling. */
  private void drain(WatchService ws, WatchKey first) throws InterruptedException {
    WatchKey key = first;
    while (key != null) {
      key.pollEvents();
      if (!key.reset()) {
        log.info("{} can no longer be watched; reading {} every {} ms", file.getParent(), file.getFileName(),
            pollInterval.toMillis());
        watchService = null;
        closeQuietly(ws);
        return;
      }
      key = ws.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private @Nullable WatchService register() {
    Path dir = file.getParent();
    if (dir == null) {
      return null;
    }
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
      log.info("cannot watch {} ({}); reading {} every {} ms", dir, e.toString(), file.getFileName(),
          pollInterval.toMillis());
      return null;
    }
  }

  private void closeQuietly(WatchService ws) {
    try {
      ws.close();
    } catch (IOException e) {
      log.debug("closing the watch service of {} failed", file, e);
    }
  }
}
