package io.meshclient.core.internal;

import io.meshclient.api.AttemptEvent;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's {@link MeshEventListener} behind a guard: an exception it throws is logged and goes no
 * further, so a listener bug never changes a call. The mesh wraps the listener once, at build time.
 */
public final class GuardedListener implements MeshEventListener {
  private static final Logger log = LoggerFactory.getLogger(GuardedListener.class);

  private final MeshEventListener delegate;

  private GuardedListener(MeshEventListener delegate) {
    this.delegate = delegate;
  }

  /** {@code listener} behind a guard; {@link MeshEventListener#NONE} stays itself, so callers can skip it. */
  public static MeshEventListener guard(MeshEventListener listener) {
    return listener == MeshEventListener.NONE || listener instanceof GuardedListener
        ? listener
        : new GuardedListener(listener);
  }

  @Override
  public void onAttemptEnd(AttemptEvent event) {
    try {
      delegate.onAttemptEnd(event);
    } catch (RuntimeException e) {
      log.warn("MeshEventListener {} threw on an attempt; the call goes on", delegate, e);
    }
  }

  @Override
  public void onCircuitStateChange(String service, Endpoint endpoint, String from, String to) {
    try {
      delegate.onCircuitStateChange(service, endpoint, from, to);
    } catch (RuntimeException e) {
      log.warn("MeshEventListener {} threw on a breaker change; the call goes on", delegate, e);
    }
  }

  @Override
  public void onEjection(String service, Endpoint endpoint, String reason, Duration duration) {
    try {
      delegate.onEjection(service, endpoint, reason, duration);
    } catch (RuntimeException e) {
      log.warn("MeshEventListener {} threw on an ejection; the mesh goes on", delegate, e);
    }
  }

  @Override
  public void onReadmission(String service, Endpoint endpoint) {
    try {
      delegate.onReadmission(service, endpoint);
    } catch (RuntimeException e) {
      log.warn("MeshEventListener {} threw on a readmission; the mesh goes on", delegate, e);
    }
  }

  @Override
  public void onHealthChange(String service, Endpoint endpoint, boolean healthy) {
    try {
      delegate.onHealthChange(service, endpoint, healthy);
    } catch (RuntimeException e) {
      log.warn("MeshEventListener {} threw on a health change; the mesh goes on", delegate, e);
    }
  }
}
