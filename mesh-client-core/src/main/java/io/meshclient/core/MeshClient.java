package io.meshclient.core;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.DiscoveryState;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.MeshInterceptor;
import io.meshclient.core.internal.Ticker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

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
  private final Map<String, Cluster> clusters;
  private final MeshInterceptor interceptor;
  private final OkHttpClient transport;
  private final boolean ownsTransport;
  private final OkHttpClient httpClient;
  private final List<ServiceDiscovery.Subscription> subscriptions = new ArrayList<>();
  private final List<ServiceDiscovery> ownedSources;
  private final AtomicBoolean closed = new AtomicBoolean();

  MeshClient(Map<String, Cluster> clusters, Map<String, ServiceDiscovery> sources, List<ServiceDiscovery> ownedSources,
      OkHttpClient transport, boolean ownsTransport, MeshEventListener listener, Clock clock) {
    this.clusters = Map.copyOf(clusters);
    this.ownedSources = List.copyOf(ownedSources);
    this.transport = transport;
    this.ownsTransport = ownsTransport;
    this.interceptor = new MeshInterceptor(clusters, transport, listener, Ticker.of(clock));
    OkHttpClient.Builder client = transport.newBuilder();
    // The mesh runs first: the transport's own interceptors then run once per attempt, as they do
    // once for a call that passes through, and never on the logical call as well.
    client.interceptors().add(0, interceptor);
    this.httpClient = client.build();
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

  /** Every service, endpoint, load and breaker state, right now. */
  public MeshSnapshot snapshot() {
    List<MeshSnapshot.ServiceSnapshot> services = new ArrayList<>(clusters.size());
    for (Cluster cluster : clusters.values()) {
      List<MeshSnapshot.EndpointSnapshot> endpoints = new ArrayList<>();
      for (EndpointState state : cluster.endpoints()) {
        endpoints.add(new MeshSnapshot.EndpointSnapshot(
            state.endpoint(), state.inFlight(), state.requests(), state.failures(), state.circuitState()));
      }
      services.add(new MeshSnapshot.ServiceSnapshot(cluster.service(), cluster.policy().loadBalancer(), endpoints,
          discoverySnapshot(cluster.discovery())));
    }
    services.sort(java.util.Comparator.comparing(MeshSnapshot.ServiceSnapshot::name));
    return new MeshSnapshot(services);
  }

  private static MeshSnapshot.DiscoverySnapshot discoverySnapshot(DiscoveryState state) {
    Throwable error = state.error();
    return new MeshSnapshot.DiscoverySnapshot(state.source(), state.lastUpdate(), state.failingSince(),
        state.staleFor(), error == null ? null : error.toString());
  }

  /**
   * Stops watching discovery, closes the discovery sources the mesh made from URIs, and refuses
   * further mesh calls; shuts down the transport client if the mesh made it. Calls in flight finish. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    interceptor.close();
    subscriptions.forEach(ServiceDiscovery.Subscription::close);
    for (ServiceDiscovery source : ownedSources) {
      try {
        source.close();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(MeshClient.class).warn("closing discovery source {} failed", source, e);
      }
    }
    if (ownsTransport) {
      transport.dispatcher().executorService().shutdown();
      transport.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "MeshClient" + clusters.values();
  }
}
