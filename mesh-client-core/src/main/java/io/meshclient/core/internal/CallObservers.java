package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Several {@link CallObserver}s as one: each hears every call, in order. Observers that observe
 * nothing are dropped, so that one real observer costs no more than itself and none costs nothing.
 *
 * <pre>{@code
 * CallObserver observer = CallObservers.of(List.of(metrics, tracing, accessLog));
 * }</pre>
 *
 * <p>Thread-safe if its observers are.
 */
public final class CallObservers {
  private CallObservers() {}

  /** {@code observers} as one; {@link CallObserver#NONE} when none is left. */
  public static CallObserver of(List<CallObserver> observers) {
    List<CallObserver> real = new ArrayList<>(observers.size());
    for (CallObserver o : observers) {
      if (o != CallObserver.NONE) {
        real.add(o);
      }
    }
    if (real.isEmpty()) {
      return CallObserver.NONE;
    }
    if (real.size() == 1) {
      return real.get(0);
    }
    CallObserver[] all = real.toArray(new CallObserver[0]);
    return (cluster, request, route) -> {
      CallObserver.Call[] calls = new CallObserver.Call[all.length];
      int n = 0;
      for (CallObserver o : all) {
        CallObserver.Call call = o.start(cluster, request, route);
        if (call != CallObserver.Call.NONE) {
          calls[n++] = call;
        }
      }
      return n == 0 ? CallObserver.Call.NONE : n == 1 ? calls[0] : new CompositeCall(calls, n);
    };
  }

  private static final class CompositeCall implements CallObserver.Call {
    private final CallObserver.Call[] calls;
    private final int n;

    CompositeCall(CallObserver.Call[] calls, int n) {
      this.calls = calls;
      this.n = n;
    }

    @Override
    public CallObserver.Attempt attempt(int attempt, EndpointState chosen, PickState picks, Request.Builder request,
        boolean hedge) {
      CallObserver.Attempt[] attempts = null;
      int m = 0;
      for (int i = 0; i < n; i++) {
        CallObserver.Attempt a = calls[i].attempt(attempt, chosen, picks, request, hedge);
        if (a != CallObserver.Attempt.NONE) {
          if (attempts == null) {
            attempts = new CallObserver.Attempt[n];
          }
          attempts[m++] = a;
        }
      }
      if (attempts == null) {
        return CallObserver.Attempt.NONE;
      }
      if (m == 1) {
        return attempts[0];
      }
      CallObserver.Attempt[] all = attempts;
      int count = m;
      return (status, failure, nanos) -> {
        for (int i = 0; i < count; i++) {
          all[i].end(status, failure, nanos);
        }
      };
    }

    @Override
    public void retry(String reason) {
      for (int i = 0; i < n; i++) {
        calls[i].retry(reason);
      }
    }

    @Override
    public void budgetExhausted() {
      for (int i = 0; i < n; i++) {
        calls[i].budgetExhausted();
      }
    }

    @Override
    public void rejected(String by) {
      for (int i = 0; i < n; i++) {
        calls[i].rejected(by);
      }
    }

    @Override
    public void faultInjected(String kind) {
      for (int i = 0; i < n; i++) {
        calls[i].faultInjected(kind);
      }
    }

    @Override
    public void mirrorDropped() {
      for (int i = 0; i < n; i++) {
        calls[i].mirrorDropped();
      }
    }

    @Override
    public void end(@Nullable Response response, @Nullable Throwable failure, int attempts, @Nullable Endpoint endpoint) {
      for (int i = 0; i < n; i++) {
        calls[i].end(response, failure, attempts, endpoint);
      }
    }
  }
}
