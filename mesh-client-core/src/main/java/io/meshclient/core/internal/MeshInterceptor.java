package io.meshclient.core.internal;

import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import io.meshclient.api.ServicePolicy;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The OkHttp application interceptor that turns a call to {@code http://<service>/...} into a mesh
 * call. A request whose host is not a known service passes through untouched. Mesh calls are sent
 * on the service's transport client, one OkHttp call per attempt. Every call, mesh or not, first
 * passes the egress policy ({@link MeshSecurity#checkEgress}), before any network I/O.
 *
 * <p>Thread-safe: the service map is immutable, each call gets its own {@link MeshCall}, and the
 * route tables are replaced whole, one per service policy ({@link #routes}).
 */
public final class MeshInterceptor implements Interceptor {
  private final Map<String, Cluster> clusters;
  private final Map<String, RouteTable> routes;
  private final OkHttpClient transport;
  private final MeshEventListener listener;
  private final Ticker ticker;
  private final MeshSecurity security;
  private final CallObserver observer;
  private final ScheduledExecutorService timer;
  private volatile boolean closed;
  /** Held while a stale route table is made again (after a reload), never on the common path. */
  private final Object tableLock = new Object();
  private final AtomicInteger tablesMade = new AtomicInteger();

  /**
   * @param timer runs retry backoffs and hedge delays; its tasks are quick hand-offs
   */
  public MeshInterceptor(Map<String, Cluster> clusters, OkHttpClient transport, MeshEventListener listener, Ticker ticker,
      MeshSecurity security, CallObserver observer, ScheduledExecutorService timer) {
    this.clusters = Map.copyOf(clusters);
    this.routes = new java.util.concurrent.ConcurrentHashMap<>();
    for (Cluster cluster : this.clusters.values()) {
      routes.put(cluster.service(), RouteTable.of(cluster, cluster.policy(), this.clusters));
    }
    this.observer = observer;
    this.timer = timer;
    this.transport = transport;
    this.listener = listener;
    this.ticker = ticker;
    this.security = security;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    security.checkEgress(request);
    Cluster cluster = clusters.get(request.url().host());
    if (cluster == null) {
      return chain.proceed(request);
    }
    MeshCall call = newCall(cluster, request);
    Call caller = chain.call();
    // Cancelling the caller's call cancels the attempts in flight, wherever they are.
    caller.addEventListener(new EventListener() {
      @Override
      public void canceled(Call canceled) {
        call.cancel();
      }
    });
    if (caller.isCanceled()) {
      throw new IOException("Canceled");
    }
    return call.execute(caller.timeout().timeoutNanos());
  }

  /** The cluster of {@code request}'s host, or null when it is not a mesh service. */
  @Nullable Cluster cluster(Request request) {
    return clusters.get(request.url().host());
  }

  /** A new logical call to {@code cluster}. */
  MeshCall newCall(Cluster cluster, Request request) throws IOException {
    if (closed) {
      throw new IOException("the MeshClient is closed; service '" + cluster.service() + "' can no longer be called");
    }
    return new MeshCall(cluster, this, request);
  }

  /**
   * The routes of {@code cluster}'s service (empty when it has none), made again from the service's
   * policy when a reload has swapped it.
   *
   * <p>The common case reads one map entry and takes no lock. After a reload, the first calls find
   * the table stale and make a new one under {@link #tableLock}: one table per policy, however many
   * calls race, so subsets are registered once and the mirrors' in-flight bounds carry over. The
   * subsets no table names any more are then dropped from every cluster.
   */
  RouteTable routes(Cluster cluster) {
    RouteTable table = routes.get(cluster.service());
    if (table != null && table.source == cluster.policy()) {
      return table;
    }
    synchronized (tableLock) {
      table = routes.get(cluster.service());
      ServicePolicy policy = cluster.policy();
      if (table != null && table.source == policy) {
        return table; // another call made it while this one waited
      }
      table = RouteTable.of(cluster, policy, clusters, table);
      tablesMade.incrementAndGet();
      routes.put(cluster.service(), table);
      Set<Target> used = new HashSet<>();
      for (RouteTable t : routes.values()) {
        t.collectTargets(used);
      }
      for (Cluster c : clusters.values()) {
        c.retainSubsets(used);
      }
      return table;
    }
  }

  /** Route tables made since the mesh was built (each reload that changes a policy makes one). */
  int tablesMade() {
    return tablesMade.get();
  }

  /** Checks {@code request} against the egress policy. */
  void checkEgress(Request request) throws IOException {
    security.checkEgress(request);
  }

  /** Refuses further mesh calls; calls to other hosts still pass through. */
  public void close() {
    closed = true;
  }

  OkHttpClient transport() {
    return transport;
  }

  /** The client attempts to {@code cluster}'s service go out on: the transport, with its TLS settings. */
  OkHttpClient transport(Cluster cluster) {
    return security.transport(cluster.service(), transport);
  }

  MeshEventListener listener() {
    return listener;
  }

  Ticker ticker() {
    return ticker;
  }

  CallObserver observer() {
    return observer;
  }

  /** How the mesh writes URLs and messages without their secrets. */
  Redaction redaction() {
    return security.redaction();
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /**
   * Where a call's outcome is handed to its {@code Callback} when the timer reached it: the executor
   * of the attempts' dispatcher, so that no application code runs on the timer thread, whose every
   * backoff and hedge would wait behind it.
   */
  Executor callbackExecutor() {
    return transport.dispatcher().executorService();
  }
}
