package io.meshclient.core;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.core.internal.AccessLog;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.CallObservers;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.DiscoveryState;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.MeshHttpClient;
import io.meshclient.core.internal.MeshInterceptor;
import io.meshclient.core.internal.MeshSecurity;
import io.meshclient.core.internal.Ticker;
import io.meshclient.core.internal.admin.AdminServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxyless service mesh for OkHttp: calls to {@code http://<service>/...} are routed to one of
 * the service's endpoints, with timeouts, retries to other endpoints and per-endpoint circuit
 * breakers. Calls to any other host pass through untouched.
 *
 * <pre>{@code
 * try (MeshClient mesh = MeshClient.builder()
 *     .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.7", 8080), Endpoint.of("10.0.0.8", 8080)))
 *     .build()) {
 *   OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();
 *   try (Response response = client.newCall(new Request.Builder().url("http://orders/orders/42").build()).execute()) {
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Every attempt of a mesh call is sent on one shared transport client (see
 * {@link MeshClientBuilder#transport}), so connection pooling, TLS and I/O timeouts come from it;
 * interceptors and settings of the decorated client apply to the logical call around them. The
 * caller's own call timeout, if set, also bounds the mesh call's deadline.
 *
 * <p>Thread-safe; build one per application and share it.
 */
public final class MeshClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshClient.class);

  private final Map<String, Cluster> clusters;
  private final MeshInterceptor interceptor;
  private final OkHttpClient transport;
  private final boolean ownsTransport;
  private final OkHttpClient httpClient;
  private final MeshSecurity security;
  private final List<ServiceDiscovery.Subscription> subscriptions = new ArrayList<>();
  private final List<ServiceDiscovery> ownedSources;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final HealthSchedule health;
  private final ScheduledThreadPoolExecutor timer;
  private final Dispatcher attemptDispatcher;
  private final RecentDecisions decisions;
  private final List<MeshTelemetry> telemetry;
  private final @Nullable AdminServer admin;
  private volatile @Nullable ConfigReload reloads;

  MeshClient(Map<String, Cluster> clusters, Map<String, ServiceDiscovery> sources, List<ServiceDiscovery> ownedSources,
      OkHttpClient transport, boolean ownsTransport, MeshEventListener listener, Clock clock, MeshSecurity security,
      Observability observability) {
    this.clusters = Map.copyOf(clusters);
    this.ownedSources = List.copyOf(ownedSources);
    this.transport = transport;
    this.ownsTransport = ownsTransport;
    this.security = security;
    this.timer = daemonTimer();
    this.attemptDispatcher = attemptDispatcher();
    this.telemetry = observability.telemetry();
    this.decisions = new RecentDecisions(clusters.values(), observability.recentDecisions(), clock);
    // Attempts share the transport's pool, TLS and timeouts, on a dispatcher of the mesh's own: its
    // limits must not queue the attempts of a service behind one host's (OkHttp's default is 5).
    OkHttpClient attempts = transport.newBuilder().dispatcher(attemptDispatcher).build();
    this.interceptor = new MeshInterceptor(clusters, attempts, listener, Ticker.of(clock), security,
        observer(observability, clusters.values(), security.redaction(), clock), timer);
    OkHttpClient.Builder client = transport.newBuilder();
    // The mesh runs first: the transport's own interceptors then run once per attempt, as they do
    // once for a call that passes through, and never on the logical call as well.
    client.interceptors().add(0, interceptor);
    this.httpClient = new MeshHttpClient(client, interceptor);
    this.health = new HealthSchedule(transport, security);
    health.start(this.clusters.values());
    for (Cluster cluster : clusters.values()) {
      ServiceDiscovery source = sources.get(cluster.service());
      try {
        subscriptions.add(source.watch(cluster.service(), cluster));
      } catch (IllegalArgumentException e) {
        close();
        throw new MeshConfigException("services." + cluster.service() + ".discovery", source.toString(),
            "a source that knows the service (" + e.getMessage() + ")");
      }
    }
    InetSocketAddress adminAddress = observability.adminServer();
    this.admin = adminAddress == null ? null : startAdmin(adminAddress);
  }

  private AdminServer startAdmin(InetSocketAddress address) {
    try {
      return AdminServer.start(address, this::snapshot, this::prometheusText);
    } catch (IOException e) {
      close();
      throw new MeshConfigException("adminServer", address, "an address the admin server can bind (" + e + ")");
    }
  }

  /** The observer of every call: recent decisions, then metrics and traces, then the access log. */
  private CallObserver observer(Observability observability, Collection<Cluster> clusters, Redaction redaction,
      Clock clock) {
    List<CallObserver> observers = new ArrayList<>();
    observers.add(decisions);
    for (MeshTelemetry t : observability.telemetry()) {
      observers.add(t.observer(clusters, redaction));
    }
    if (observability.accessLog()) {
      observers.add(new AccessLog(redaction, Ticker.of(clock)));
    }
    return CallObservers.of(observers);
  }

  /** The meters as Prometheus text, if a telemetry has a Prometheus registry. */
  private Optional<String> prometheusText() {
    for (MeshTelemetry t : telemetry) {
      Optional<String> text = t.prometheusText();
      if (text.isPresent()) {
        return text;
      }
    }
    return Optional.empty();
  }

  /**
   * Where the admin server listens (with the port it bound, if 0 was asked for); empty when the
   * mesh has none (see {@link MeshClientBuilder#adminServer(int)}).
   */
  public Optional<InetSocketAddress> adminAddress() {
    return admin == null ? Optional.empty() : Optional.of(admin.address());
  }

  /** The thread retry backoffs and hedge delays wait on: tasks are quick hand-offs, cancelled ones removed at once. */
  private static ScheduledThreadPoolExecutor daemonTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "mesh-client-timer");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true); // a hedge timer is cancelled by nearly every call that arms one
    return timer;
  }

  /** The dispatcher of asynchronous attempts: no limit of its own (admission and breakers limit calls). */
  private static Dispatcher attemptDispatcher() {
    AtomicInteger threads = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, "mesh-client-attempt-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    Dispatcher dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    return dispatcher;
  }

  /**
   * Restarts the service's outlier detection intervals and health checks after its policy changed
   * (a reload); nothing once the mesh is closed.
   */
  void restartHealth(Cluster cluster) {
    if (closed.get()) {
      return;
    }
    health.restart(cluster);
  }

  /** Set once by the builder, right after construction. */
  void reloads(ConfigReload reloads) {
    this.reloads = reloads;
  }

  /**
   * The configuration in force, as a model: what the builder, a configuration file or Spring
   * properties set, with the defaults applied to each service, and changed by each
   * {@linkplain #reload reload}. Settings made in code that a configuration cannot hold (a
   * discovery object, a balancer instance, a hash key function) do not appear.
   */
  public io.meshclient.core.config.MeshConfig config() {
    return requireReloads().current();
  }

  /**
   * Applies a new configuration while the mesh runs. It is checked whole first: if any of it is
   * invalid, {@link MeshConfigException} names the field and nothing changes. Then each service's
   * new policy, every field of it (load balancer, balancing, timeouts and deadline propagation,
   * retry, retry budget, hedging, bulkhead, rate limit, service breaker, adaptive concurrency,
   * circuit breaker, outlier detection, health checks, routes), is swapped in at once, calls in
   * flight finishing on the old one, and new fixed endpoints replace the old like a discovery
   * update; changed health checks or outlier detection intervals restart.
   * Changes a running mesh cannot take are refused, logged, and listed in the result: services
   * added or removed, another discovery source or peer identity, and mesh-wide settings
   * (discovery, zone, TLS, egress, redaction). A breaker, balancing or adaptive concurrency change
   * gives each endpoint a fresh breaker, latency estimate and limit; a changed retry budget or
   * admission limit (bulkhead, rate limit, service breaker) starts afresh.
   *
   * @throws MeshConfigException if the new configuration is invalid
   * @throws IllegalStateException if the mesh is closed
   */
  public io.meshclient.core.config.ReloadResult reload(io.meshclient.core.config.MeshConfig config) {
    java.util.Objects.requireNonNull(config, "config");
    if (closed.get()) {
      throw new IllegalStateException("the mesh is closed");
    }
    return requireReloads().apply(config, this::restartHealth);
  }

  private ConfigReload requireReloads() {
    ConfigReload r = reloads;
    if (r == null) {
      throw new IllegalStateException("the mesh is still being built");
    }
    return r;
  }

  /** A builder for a mesh. */
  public static MeshClientBuilder builder() {
    return new MeshClientBuilder();
  }

  /**
   * Adds the mesh to an OkHttp client being built: calls to mesh services made with the resulting
   * client go through the mesh, and every other call is left alone. Adding it twice has no effect.
   */
  public OkHttpClient.Builder decorate(OkHttpClient.Builder builder) {
    if (!builder.interceptors().contains(interceptor)) {
      builder.addInterceptor(interceptor);
    }
    return builder;
  }

  /**
   * {@code client} with the mesh: calls to mesh services go through the mesh, after the client's
   * own application interceptors, and every other call is left alone. When the client has no
   * application interceptors of its own, {@code enqueue()} of a mesh call holds no thread while it
   * waits (for a backoff, a hedge delay or an answer); otherwise the client's interceptors run on
   * OkHttp's dispatcher thread around the whole call, which keeps that thread until the call ends.
   */
  public OkHttpClient decorate(OkHttpClient client) {
    return new MeshHttpClient(decorate(client.newBuilder()), interceptor);
  }

  /**
   * A ready client: the transport client with the mesh in front of its interceptors, sharing its
   * pool and dispatcher. The transport's application interceptors see each attempt (and each call
   * to a host that is not a mesh service), never the logical call.
   */
  public OkHttpClient httpClient() {
    return httpClient;
  }

  /** The mesh as a bare OkHttp application interceptor, for wiring {@link #decorate} does not cover. */
  public Interceptor interceptor() {
    return interceptor;
  }

  /** The names of the services the mesh routes. */
  public Set<String> services() {
    return clusters.keySet();
  }

  /** Every service and endpoint: load, latency, scores, health, ejections and breaker state, right now. */
  public MeshSnapshot snapshot() {
    List<MeshSnapshot.ServiceSnapshot> services = new ArrayList<>(clusters.size());
    for (Cluster cluster : clusters.values()) {
      long now = cluster.ticker().read();
      List<MeshSnapshot.EndpointSnapshot> endpoints = new ArrayList<>();
      for (EndpointState state : cluster.endpoints()) {
        long ejectedUntil = state.ejectedUntil();
        Duration ejectedFor = ejectedUntil == Long.MIN_VALUE || ejectedUntil - now <= 0
            ? Duration.ZERO : Duration.ofNanos(ejectedUntil - now);
        endpoints.add(new MeshSnapshot.EndpointSnapshot(
            state.endpoint(), state.inFlight(), state.requests(), state.failures(), state.circuitState(),
            state.weight(), state.rampingUp(), state.latencyNanos() / 1e6, state.score(), state.penalized(),
            state.healthy(), ejectedFor, state.concurrencyLimit()));
      }
      long picks = cluster.picks();
      services.add(new MeshSnapshot.ServiceSnapshot(cluster.service(), cluster.policy().loadBalancer(), endpoints,
          cluster.panic(), picks == 0 ? 0 : (double) cluster.crossZonePicks() / picks,
          discoverySnapshot(cluster.discovery()), cluster.retriesOverBudget(), cluster.serviceCircuitState(),
          cluster.mirrorsDropped(), decisions.of(cluster.service())));
    }
    services.sort(java.util.Comparator.comparing(MeshSnapshot.ServiceSnapshot::name));
    return new MeshSnapshot(services, MeshSnapshot.EgressSnapshot.of(security.deniedByRule()));
  }

  /**
   * The health of {@code service}'s discovery source right now, without the rest of the snapshot:
   * the cheap read behind gauges such as {@link io.meshclient.core.metrics.DiscoveryMeters}.
   * Empty if the mesh does not route the service.
   */
  public java.util.Optional<MeshSnapshot.DiscoverySnapshot> discovery(String service) {
    Cluster cluster = clusters.get(service);
    return cluster == null ? java.util.Optional.empty() : java.util.Optional.of(discoverySnapshot(cluster.discovery()));
  }

  private static MeshSnapshot.DiscoverySnapshot discoverySnapshot(DiscoveryState state) {
    Throwable error = state.error();
    return new MeshSnapshot.DiscoverySnapshot(state.source(), state.lastUpdate(), state.failingSince(),
        state.staleFor(), error == null ? null : error.toString());
  }

  /** Whether {@link #close()} was called: a closed mesh refuses calls and reloads. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Stops watching discovery, closes the discovery sources the mesh made from URIs, and refuses
   * further mesh calls; shuts down the transport client if the mesh made it, stops the admin
   * server and removes the mesh's meters from the registry. Calls in flight finish. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    interceptor.close();
    timer.shutdown(); // backoffs and hedges already waiting still run; nothing new is scheduled
    attemptDispatcher.executorService().shutdown();
    if (admin != null) { // null also while a failed start closes the mesh
      admin.stop();
    }
    security.close();
    subscriptions.forEach(ServiceDiscovery.Subscription::close);
    health.stop();
    for (ServiceDiscovery source : ownedSources) {
      try {
        source.close();
      } catch (RuntimeException e) {
        log.warn("closing discovery source {} failed", source, e);
      }
    }
    if (ownsTransport) {
      transport.dispatcher().executorService().shutdown();
      transport.connectionPool().evictAll();
    }
    for (MeshTelemetry t : telemetry) {
      try {
        t.close(); // the meters go, so that a mesh built later on the same registry reports its own
      } catch (RuntimeException e) {
        log.warn("closing telemetry {} failed", t, e);
      }
    }
  }

  /** The security settings in force, for tests in this package. */
  MeshSecurity security() {
    return security;
  }

  @Override
  public String toString() {
    return "MeshClient" + clusters.values();
  }
}
