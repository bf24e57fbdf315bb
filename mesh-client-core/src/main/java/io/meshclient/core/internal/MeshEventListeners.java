package io.meshclient.core.internal;

import io.meshclient.api.AttemptEvent;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link MeshEventListener}s as one, each behind its own {@link GuardedListener guard}, so
 * one that throws neither changes the mesh nor keeps the others from hearing the event.
 *
 * <pre>{@code
 * MeshEventListener all = MeshEventListeners.of(List.of(userListener, metrics.events()));
 * }</pre>
 *
 * <p>Thread-safe if its listeners are.
 */
public final class MeshEventListeners implements MeshEventListener {
  private final MeshEventListener[] listeners;

  private MeshEventListeners(MeshEventListener[] listeners) {
    this.listeners = listeners;
  }

  /** {@code listeners} as one, each guarded; {@link MeshEventListener#NONE} when none is left. */
  public static MeshEventListener of(List<MeshEventListener> listeners) {
    List<MeshEventListener> real = new ArrayList<>(listeners.size());
    for (MeshEventListener l : listeners) {
      if (l != MeshEventListener.NONE) {
        real.add(GuardedListener.guard(l));
      }
    }
    if (real.isEmpty()) {
      return MeshEventListener.NONE;
    }
    return real.size() == 1 ? real.get(0) : new MeshEventListeners(real.toArray(new MeshEventListener[0]));
  }

  @Override
  public void onAttemptEnd(AttemptEvent event) {
    for (MeshEventListener l : listeners) {
      l.onAttemptEnd(event);
    }
  }

  @Override
  public void onCircuitStateChange(String service, Endpoint endpoint, String from, String to) {
    for (MeshEventListener l : listeners) {
      l.onCircuitStateChange(service, endpoint, from, to);
    }
  }

  @Override
  public void onEjection(String service, Endpoint endpoint, String reason, Duration duration) {
    for (MeshEventListener l : listeners) {
      l.onEjection(service, endpoint, reason, duration);
    }
  }

  @Override
  public void onReadmission(String service, Endpoint endpoint) {
    for (MeshEventListener l : listeners) {
      l.onReadmission(service, endpoint);
    }
  }

  @Override
  public void onHealthChange(String service, Endpoint endpoint, boolean healthy) {
    for (MeshEventListener l : listeners) {
      l.onHealthChange(service, endpoint, healthy);
    }
  }
}
