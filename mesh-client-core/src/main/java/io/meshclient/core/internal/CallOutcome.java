package io.meshclient.core.internal;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of one {@link MeshCall} and its hand-off: decided once (an answer or a failure), then
 * returned to the caller waiting in {@link #await} ({@code execute}) or handed to the
 * {@link Callback} once ({@code enqueue}), never on the mesh's timer thread.
 *
 * <p>Thread-safe through the call's lock: {@link #decide}, {@link #listen} and {@link #done} are
 * called with it held; {@link #await} waits on the call's monitor; {@link #deliver} takes the lock
 * to claim the outcome and runs the callback without it.
 */
final class CallOutcome {
  private static final Logger log = LoggerFactory.getLogger(CallOutcome.class);
  /** How long past its deadline a waiting caller gives the attempts to report before giving up itself. */
  private static final long AWAIT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** The call whose monitor guards this outcome and is waited on. */
  private final MeshCall call;
  private final MeshInterceptor mesh;
  private final String service;
  private boolean done;
  private @Nullable Response result;
  private @Nullable IOException error;
  private @Nullable Callback callback;
  private @Nullable Call owner;
  private boolean delivered;

  CallOutcome(MeshCall call, MeshInterceptor mesh, String service) {
    this.call = call;
    this.mesh = mesh;
    this.service = service;
  }

  /** Whether the outcome is decided. Holds the lock. */
  boolean done() {
    return done;
  }

  /**
   * Decides the outcome and wakes the caller waiting for it; false, and nothing changed, when it
   * was decided already. Holds the lock.
   */
  boolean decide(@Nullable Response response, @Nullable IOException failure) {
    if (done) {
      return false;
    }
    done = true;
    result = response;
    error = failure;
    call.notifyAll();
    return true;
  }

  /** For {@code enqueue}: {@code callback} hears the outcome, with {@code owner} as the call. Holds the lock. */
  void listen(Call owner, Callback callback) {
    this.owner = owner;
    this.callback = callback;
  }

  /**
   * For {@code execute}: waits for the outcome, at most until a little past {@code deadline} (read
   * on {@code ticker}), when the call gives up at its deadline itself; an interrupt ends the call.
   */
  Response await(long deadline, Ticker ticker) throws IOException {
    synchronized (call) {
      if (!done) {
        long giveUpAt = deadline == CallDeadline.NONE ? 0
            : System.nanoTime() + Math.max(0, deadline - ticker.read()) + AWAIT_GRACE_NANOS;
        try {
          while (!done) {
            if (giveUpAt == 0) {
              call.wait();
            } else {
              long left = giveUpAt - System.nanoTime();
              if (left <= 0) {
                call.giveUpAtDeadline();
                break;
              }
              TimeUnit.NANOSECONDS.timedWait(call, left);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          call.interrupted();
        }
      }
      if (error != null) {
        throw error;
      }
      return result;
    }
  }

  /** For {@code enqueue}: hands the outcome, if decided, to the callback, once, without holding the lock. */
  void deliver() {
    Callback cb;
    Response response;
    IOException failure;
    synchronized (call) {
      if (callback == null || !done || delivered) {
        return;
      }
      delivered = true;
      cb = callback;
      response = result;
      failure = error;
    }
    if (failure != null) {
      cb.onFailure(owner, failure);
      return;
    }
    try {
      cb.onResponse(owner, response);
    } catch (IOException e) {
      log.warn("callback of a call to service '{}' failed", service, e);
    }
  }

  /**
   * For the timer's tasks: hands the outcome, if the task decided it, to the mesh's callback
   * executor, so that a slow callback holds up no other call's backoff or hedge. Only if that
   * executor refuses (the mesh is closed) does the callback run here.
   */
  void deliverOffTimer() {
    synchronized (call) {
      if (callback == null || !done || delivered) {
        return;
      }
    }
    try {
      mesh.callbackExecutor().execute(this::deliver);
    } catch (RejectedExecutionException closed) {
      deliver();
    }
  }
}
