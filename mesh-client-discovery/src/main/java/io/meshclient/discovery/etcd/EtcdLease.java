package io.meshclient.discovery.etcd;

import io.meshclient.api.ServiceRegistration;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registration: a key attached to a lease of its own, kept alive on a schedule and revoked
 * when closed. Thread-safe: the keep-alive and {@link #close()} never run at the same time.
 */
final class EtcdLease implements ServiceRegistration.Registration {
  private static final Logger log = LoggerFactory.getLogger(EtcdLease.class);

  private final EtcdGateway gateway;
  private final String key;
  private final String value;
  private final Duration ttl;
  private final Consumer<EtcdLease> whenClosed;
  private long lease; // guarded by this
  private boolean closed; // guarded by this
  private @Nullable ScheduledFuture<?> keepAlive; // guarded by this

  EtcdLease(EtcdGateway gateway, String key, String value, Duration ttl, Consumer<EtcdLease> whenClosed) {
    this.gateway = gateway;
    this.key = key;
    this.value = value;
    this.ttl = ttl;
    this.whenClosed = whenClosed;
  }

  /** Grants a new lease and writes the key with it. */
  synchronized void grantAndPut() throws IOException {
    long granted = gateway.grant(ttl);
    try {
      gateway.put(key, value, granted);
    } catch (IOException e) {
      revokeQuietly(granted);
      throw e;
    }
    lease = granted;
  }

  synchronized void keepAliveEvery(ScheduledExecutorService scheduler, Duration every) {
    if (!closed) {
      keepAlive = scheduler.scheduleWithFixedDelay(this::keepAlive, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The lease id, for tests and logs. */
  synchronized long lease() {
    return lease;
  }

  private synchronized void keepAlive() {
    if (closed) {
      return;
    }
    try {
      if (gateway.keepAlive(lease) > 0) {
        return;
      }
      log.warn("etcd lease of {} lapsed; registering it again", key);
      grantAndPut();
    } catch (IOException e) {
      // The lease outlives a few missed renewals; the next one tries again.
      log.warn("etcd keep-alive of {} failed: {}", key, e.toString());
    }
  }

  /** Stops the keep-alive and revokes the lease, deleting the key. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (keepAlive != null) {
        keepAlive.cancel(false);
      }
      revokeQuietly(lease);
    }
    whenClosed.accept(this);
  }

  private void revokeQuietly(long id) {
    try {
      gateway.revoke(id);
    } catch (IOException e) {
      log.warn("etcd lease of {} could not be revoked; the key goes when the lease lapses: {}", key, e.toString());
    }
  }

  @Override
  public String toString() {
    return "etcd registration " + key;
  }
}
