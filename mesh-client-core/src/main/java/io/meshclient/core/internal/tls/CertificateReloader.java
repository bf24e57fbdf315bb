package io.meshclient.core.internal.tls;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.TlsPolicy;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the TLS files change and hands the new material to {@code install}. A daemon thread
 * waits for file-system events in the files' directories (which also sees a Kubernetes secret's
 * symlink swap) and, as a fallback where events are missed, checks every
 * {@link TlsPolicy#reloadInterval()}. A check compares a hash of the file contents with the loaded
 * one; when it differs the files are loaded and checked in full, so a half-written rotation (a new
 * certificate next to the old key) is refused, the current material stays in use, and the next
 * event or check tries again. Each distinct failure is logged once.
 *
 * <p>{@link #reloadIfChanged()} is the whole check and can be called directly (tests do). Thread-safe.
 */
public final class CertificateReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);

  private final TlsPolicy policy;
  private final Consumer<TlsMaterial> install;
  private volatile String loaded;
  private @Nullable String lastFailure;
  private volatile @Nullable WatchService watcher;
  private volatile @Nullable Thread thread;
  private volatile boolean closed;

  /** A reloader for the files of {@code policy}, whose material {@code current} is in use. */
  public CertificateReloader(TlsPolicy policy, TlsMaterial current, Consumer<TlsMaterial> install) {
    this.policy = policy;
    this.install = install;
    this.loaded = current.fingerprint();
  }

  /**
   * Loads the files if their contents changed since the material in use was read, and installs
   * the new material if it is sound.
   *
   * @return whether new material was installed
   */
  public synchronized boolean reloadIfChanged() {
    try {
      if (TlsMaterial.fingerprintOf(policy).equals(loaded)) {
        return false;
      }
      TlsMaterial material = TlsMaterial.load(policy);
      install.accept(material);
      loaded = material.fingerprint();
      lastFailure = null;
      log.info("tls: new material in use for new connections: {}", material);
      if (material.clientCertificateProblem() != null) {
        log.warn("tls: {}", material.clientCertificateProblem());
      }
      return true;
    } catch (MeshConfigException | IllegalStateException e) {
      if (!Objects.equals(e.getMessage(), lastFailure)) {
        lastFailure = e.getMessage();
        log.warn("tls: the files changed but cannot be used yet; keeping the current material: {}", e.getMessage());
      }
      return false;
    }
  }

  /** Starts watching, unless the reload interval is zero. */
  public synchronized void start() {
    if (policy.reloadInterval().isZero() || thread != null || closed) {
      return;
    }
    watcher = register();
    Thread t = new Thread(this::run, "mesh-tls-reloader");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private @Nullable WatchService register() {
    Set<Path> directories = new LinkedHashSet<>();
    for (Path file : TlsMaterial.files(policy).values()) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        directories.add(parent);
      }
    }
    WatchService service = null;
    try {
      service = FileSystems.getDefault().newWatchService();
      for (Path directory : directories) {
        directory.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      }
      return service;
    } catch (IOException | UnsupportedOperationException e) {
      log.info("tls: file events unavailable ({}); checking the files every {}", e.toString(), policy.reloadInterval());
      closeQuietly(service);
      return null;
    }
  }

  private void run() {
    long intervalNanos = policy.reloadInterval().toNanos();
    while (!closed) {
      try {
        WatchService service = watcher;
        if (service == null) {
          TimeUnit.NANOSECONDS.sleep(intervalNanos);
        } else {
          WatchKey key = service.poll(intervalNanos, TimeUnit.NANOSECONDS);
          for (; key != null; key = service.poll()) {
            key.pollEvents();
            key.reset();
          }
        }
        if (!closed) {
          reloadIfChanged();
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("tls: checking the files failed; trying again in {}", policy.reloadInterval(), e);
      }
    }
  }

  /** Stops watching and waits for the thread to end. Idempotent. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
      closeQuietly(watcher);
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the watcher thread is running. */
  public boolean isRunning() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  private static void closeQuietly(@Nullable WatchService service) {
    if (service != null) {
      try {
        service.close();
      } catch (IOException e) {
        // closing: nothing left to do
      }
    }
  }
}
