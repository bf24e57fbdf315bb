package io.meshclient.core.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.jvm.functions.Function0;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * An application's call to a mesh service, made by {@link MeshHttpClient}: {@link #execute} runs
 * the mesh call on the calling thread, {@link #enqueue} runs it asynchronously with no thread held
 * while it waits, and {@link #cancel} cancels the attempts in flight. Its {@link #timeout()} is the
 * client's call timeout unless changed, and bounds the call's deadline. Event listeners added to
 * it hear {@code canceled}; each attempt's events go to the transport client's listener.
 *
 * <p>Thread-safe, like every OkHttp call.
 */
final class MeshHttpCall implements Call {
  private final MeshHttpClient client;
  private final MeshInterceptor mesh;
  private final Cluster cluster;
  private final Request request;
  private final Timeout timeout = new Timeout();
  private final AtomicBoolean executed = new AtomicBoolean();
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<Class<?>, Object> tags = new ConcurrentHashMap<>();
  /** Set once, by the first {@link #cancel}: the listeners hear of it once however many threads cancel. */
  private final AtomicBoolean canceled = new AtomicBoolean();
  private volatile @Nullable MeshCall call;

  MeshHttpCall(MeshHttpClient client, MeshInterceptor mesh, Cluster cluster, Request request) {
    this.client = client;
    this.mesh = mesh;
    this.cluster = cluster;
    this.request = request;
    timeout.timeout(client.callTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Request request() {
    return request;
  }

  @Override
  public Response execute() throws IOException {
    MeshCall started = start();
    return started.execute(timeout.timeoutNanos());
  }

  @Override
  public void enqueue(Callback callback) {
    MeshCall started;
    try {
      started = start();
    } catch (IOException e) {
      // Like OkHttp, the callback hears of a failure on another thread than the caller's (and not
      // the timer's, whose backoffs and hedges must not wait behind application code).
      try {
        mesh.callbackExecutor().execute(() -> callback.onFailure(this, e));
      } catch (RejectedExecutionException closed) {
        callback.onFailure(this, e);
      }
      return;
    }
    started.enqueue(timeout.timeoutNanos(), this, callback);
  }

  private MeshCall start() throws IOException {
    if (!executed.compareAndSet(false, true)) {
      throw new IllegalStateException("Already Executed");
    }
    if (canceled.get()) {
      throw new IOException("Canceled");
    }
    mesh.checkEgress(request);
    MeshCall started = mesh.newCall(cluster, request);
    call = started;
    if (canceled.get()) {
      started.cancel(); // cancel() ran between the check and now
    }
    return started;
  }

  @Override
  public void cancel() {
    if (!canceled.compareAndSet(false, true)) {
      return;
    }
    MeshCall started = call;
    if (started != null) {
      started.cancel();
    }
    for (EventListener listener : listeners) {
      listener.canceled(this);
    }
  }

  @Override
  public boolean isExecuted() {
    return executed.get();
  }

  @Override
  public boolean isCanceled() {
    return canceled.get();
  }

  @Override
  public Timeout timeout() {
    return timeout;
  }

  @Override
  public void addEventListener(EventListener eventListener) {
    listeners.add(eventListener);
  }

  @Override
  public <T> @Nullable T tag(KClass<T> type) {
    return tag(JvmClassMappingKt.getJavaClass(type));
  }

  @Override
  public <T> @Nullable T tag(Class<? extends T> type) {
    return type.cast(tags.get(type));
  }

  @Override
  public <T> T tag(KClass<T> type, Function0<? extends T> computeIfAbsent) {
    return tag(JvmClassMappingKt.getJavaClass(type), computeIfAbsent);
  }

  @Override
  public <T> T tag(Class<T> type, Function0<? extends T> computeIfAbsent) {
    return type.cast(tags.computeIfAbsent(type, t -> computeIfAbsent.invoke()));
  }

  @Override
  public Call clone() {
    return new MeshHttpCall(client, mesh, cluster, request);
  }

  /** The method and the URL, redacted: this is the call a {@code Callback} hears of, and it may be logged. */
  @Override
  public String toString() {
    return "MeshHttpCall{" + request.method() + " " + mesh.redaction().url(request.url().toString())
        + (canceled.get() ? ", canceled" : "") + "}";
  }
}
