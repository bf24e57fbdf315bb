package io.meshclient.discovery.etcd;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.discovery.etcd.EtcdGateway.Event;
import io.meshclient.discovery.etcd.EtcdGateway.KeyValue;
import io.meshclient.discovery.etcd.EtcdGateway.WatchAnswer;
import io.meshclient.discovery.etcd.EtcdGateway.WatchStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the keys of one service on its own thread: lists them once, then follows an etcd watch
 * from the next revision, pushing the whole set after every change. A dropped watch resumes from
 * the revision after the last one seen; if etcd has compacted that revision away, the keys are
 * listed again. While etcd cannot be reached the listener hears {@code onError} (never an empty
 * set) and the watch retries with exponential backoff.
 *
 * <p>Every call to the listener comes from the watch thread, so calls never overlap.
 */
final class ServiceWatch implements ServiceDiscovery.Subscription, Runnable {
  private static final Logger log = LoggerFactory.getLogger(ServiceWatch.class);

  private final String service;
  private final String keyPrefix;
  private final String rangeEnd;
  private final EtcdGateway gateway;
  private final EndpointJson codec;
  private final ServiceDiscovery.Listener listener;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final Consumer<ServiceWatch> whenClosed;
  private final Thread thread;
  private final Object lock = new Object();

  // Confined to the watch thread.
  private final Map<String, Endpoint> endpoints = new TreeMap<>();
  private @Nullable EndpointSet pushed;
  private long nextRevision;

  private final AtomicInteger lists = new AtomicInteger();
  private volatile boolean closed;
  private @Nullable WatchStream stream; // guarded by lock

  ServiceWatch(String service, String keyPrefix, EtcdGateway gateway, EndpointJson codec,
      ServiceDiscovery.Listener listener, Duration firstBackoff, Duration maxBackoff, Consumer<ServiceWatch> whenClosed) {
    this.service = service;
    this.keyPrefix = keyPrefix;
    this.rangeEnd = EtcdGateway.prefixEnd(keyPrefix);
    this.gateway = gateway;
    this.codec = codec;
    this.listener = listener;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
    this.whenClosed = whenClosed;
    this.thread = new Thread(this, "mesh-etcd-watch-" + service);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** How many times the keys were listed in full: once at start, again after a compaction. */
  int lists() {
    return lists.get();
  }

  @Override
  public void run() {
    int failures = 0;
    while (!closed) {
      boolean watching = false;
      try {
        if (nextRevision == 0) {
          list();
        }
        try (WatchStream opened = open()) {
          WatchAnswer answer;
          while ((answer = opened.next()) != null) {
            if (answer.created()) {
              watching = true;
              failures = 0;
            }
            if (!apply(answer)) {
              break;
            }
          }
          if (!watching && nextRevision != 0) {
            throw new IOException("etcd closed the watch of " + keyPrefix + " before it started");
          }
        }
      } catch (IOException | RuntimeException e) {
        if (closed) {
          break;
        }
        if (watching) {
          log.debug("etcd watch of {} dropped; resuming from revision {}", keyPrefix, nextRevision, e);
          continue; // a drop after a working watch: resume at once, quietly
        }
        failures++;
        log.warn("etcd watch of {} failed ({} in a row); keeping the last known endpoints of {}: {}",
            keyPrefix, failures, service, e.toString());
        report(e instanceof IOException ? e : new IOException("etcd watch of " + keyPrefix + " failed", e));
        pause(failures);
      }
    }
  }

  /** Applies one watch answer; false if the watch ended and must be opened again. */
  private boolean apply(WatchAnswer answer) throws IOException {
    if (answer.compactRevision() != 0) {
      log.info("etcd compacted {} past revision {}; listing it again", keyPrefix, nextRevision);
      nextRevision = 0;
      return false;
    }
    if (answer.canceled()) {
      throw new IOException("etcd cancelled the watch of " + keyPrefix + ": " + answer.cancelReason());
    }
    if (answer.events().isEmpty()) {
      if (!answer.created()) {
        // A progress notice: every change up to its revision has been sent.
        nextRevision = Math.max(nextRevision, answer.revision() + 1);
      }
      return true;
    }
    List<MeshConfigException> errors = new ArrayList<>();
    for (Event event : answer.events()) {
      KeyValue kv = event.kv();
      if (event.delete()) {
        endpoints.remove(kv.key());
      } else {
        read(kv, errors);
      }
      nextRevision = Math.max(nextRevision, kv.modRevision() + 1);
    }
    push(errors);
    return true;
  }

  private void list() throws IOException {
    EtcdGateway.Range range = gateway.range(keyPrefix, rangeEnd);
    lists.incrementAndGet();
    Map<String, Endpoint> previous = new TreeMap<>(endpoints);
    endpoints.clear();
    List<MeshConfigException> errors = new ArrayList<>();
    for (KeyValue kv : range.kvs()) {
      Endpoint old = previous.get(kv.key());
      if (old != null) {
        endpoints.put(kv.key(), old); // kept if the new value cannot be read
      }
      read(kv, errors);
    }
    nextRevision = range.revision() + 1;
    push(errors);
  }

  /** Reads one key; a value that cannot be read leaves the endpoint as it was and is reported. */
  private void read(KeyValue kv, List<MeshConfigException> errors) {
    String id = kv.key().substring(keyPrefix.length());
    try {
      if (id.isEmpty() || id.contains("/")) {
        throw new MeshConfigException(kv.key(), kv.key(), keyPrefix + "<endpoint-id>, an id without '/'");
      }
      endpoints.put(kv.key(), codec.read(kv.key(), id, kv.value()));
    } catch (MeshConfigException e) {
      log.warn("etcd key of service {} cannot be read, {}: {}", service,
          endpoints.containsKey(kv.key()) ? "keeping its last good value" : "leaving it out", e.getMessage());
      errors.add(e);
    }
  }

  private void push(List<MeshConfigException> errors) {
    EndpointSet set = EndpointSet.of(List.copyOf(endpoints.values()));
    if (!set.equals(pushed)) {
      pushed = set;
      try {
        listener.onEndpoints(set);
      } catch (RuntimeException e) {
        log.warn("discovery listener of {} failed", service, e);
      }
    }
    if (!errors.isEmpty()) {
      MeshConfigException first = errors.get(0);
      errors.subList(1, errors.size()).forEach(first::addSuppressed);
      report(first);
    }
  }

  private void report(Throwable error) {
    try {
      listener.onError(error);
    } catch (RuntimeException e) {
      log.warn("discovery listener of {} failed", service, e);
    }
  }

  private WatchStream open() throws IOException {
    WatchStream opened = gateway.watch(keyPrefix, rangeEnd, nextRevision);
    synchronized (lock) {
      if (closed) {
        opened.close();
        throw new InterruptedIOException("closed");
      }
      stream = opened;
    }
    return opened;
  }

  private void pause(int failures) {
    long cap = maxBackoff.toMillis();
    long base = Math.min(cap, firstBackoff.toMillis() << Math.min(failures - 1, 20));
    // Half fixed, half random: members restarted together are not hit by every client at once.
    long millis = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    synchronized (lock) {
      long end = System.nanoTime() + millis * 1_000_000;
      long left;
      while (!closed && (left = end - System.nanoTime()) > 0) {
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    WatchStream open;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      open = stream;
      lock.notifyAll();
    }
    if (open != null) {
      open.cancel(); // the watch thread closes the stream as its read fails
    }
    whenClosed.accept(this);
  }

  @Override
  public String toString() {
    return "etcd watch of " + keyPrefix;
  }
}
