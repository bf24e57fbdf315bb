package io.meshclient.core.internal;

import io.meshclient.api.EgressPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.api.ServicePolicy;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A mesh of routed services over a transport that answers without a network, with seeded random
 * draws (weighted splits, fault rates, picks) and an observer that counts what the engine reports.
 */
final class RoutedMesh implements AutoCloseable {
  /** Every request the transport was asked to send. */
  final List<Request> sent = new CopyOnWriteArrayList<>();
  /** What the observer heard: {@code fault:delay}, {@code fault:abort}, {@code mirror_dropped}, ... */
  final Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
  final Map<String, Cluster> clusters = new LinkedHashMap<>();
  /**
   * What happened, in order: each task of the mesh's timer as it runs ({@code timer:<delay>ms},
   * with the delay it was scheduled with) and each request as the transport sends it
   * ({@code sent:<host>}).
   */
  final List<String> events = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = new ScheduledThreadPoolExecutor(1) {
    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
      long millis = unit.toMillis(delay);
      return super.schedule(() -> {
        events.add("timer:" + millis + "ms");
        task.run();
      }, delay, unit);
    }
  };
  private final Random random;
  private volatile Function<Request, Integer> answer = r -> 200;
  private MeshInterceptor mesh;
  private OkHttpClient client;
  private final OkHttpClient transport = new OkHttpClient.Builder()
      .addInterceptor(chain -> {
        sent.add(chain.request());
        events.add("sent:" + chain.request().url().host());
        int code = answer.apply(chain.request());
        return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(code).message("x")
            .body(ResponseBody.create(chain.request().url().host(), null)).build();
      })
      .build();

  RoutedMesh(long seed) {
    this.random = new Random(seed);
  }

  /** Adds a service with these endpoints and policy, balanced round robin. */
  RoutedMesh service(String name, ServicePolicy policy, Endpoint... endpoints) {
    return service(name, policy, new RoundRobinLoadBalancerFactory(), endpoints);
  }

  /** Adds a service with these endpoints and policy, balanced by {@code balancer}. */
  RoutedMesh service(String name, ServicePolicy policy, io.meshclient.api.LoadBalancerFactory balancer,
      Endpoint... endpoints) {
    Cluster cluster = new Cluster(name, policy, balancer.create(name, policy.loadBalancing()), Clock.systemUTC(),
        Ticker.SYSTEM, random, MeshEventListener.NONE, null, RequestKey.of(policy.loadBalancing().hashKey(), null));
    cluster.onEndpoints(EndpointSet.of(endpoints));
    clusters.put(name, cluster);
    return this;
  }

  /** How the transport answers each request (200 unless set). */
  RoutedMesh answer(Function<Request, Integer> answer) {
    this.answer = answer;
    return this;
  }

  RoutedMesh start() {
    CallObserver observer = (cluster, request, route) -> new CallObserver.Call() {
      @Override
      public void faultInjected(String kind) {
        count("fault:" + kind);
      }

      @Override
      public void mirrorDropped() {
        count("mirror_dropped");
      }

      @Override
      public void retry(String reason) {
        count("retry");
      }
    };
    MeshSecurity security = MeshSecurity.create(null, Map.of(), Set.copyOf(clusters.keySet()),
        EgressPolicy.allowAll(), Redaction.ofDefaults(), Clock.systemUTC(), transport);
    mesh = new MeshInterceptor(clusters, transport, MeshEventListener.NONE, Ticker.SYSTEM, security, observer, timer);
    OkHttpClient.Builder b = transport.newBuilder();
    b.interceptors().add(0, mesh);
    client = new MeshHttpClient(b, mesh);
    return this;
  }

  private void count(String what) {
    heard.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
  }

  int heard(String what) {
    AtomicInteger n = heard.get(what);
    return n == null ? 0 : n.get();
  }

  OkHttpClient client() {
    return client;
  }

  MeshInterceptor interceptor() {
    return mesh;
  }

  /** The mirror of the route a plain GET to {@code service} takes (its copies in flight, for waits). */
  Mirror mirror(String service) {
    RouteTable.Entry route = mesh.routes(clusters.get(service))
        .select(new Request.Builder().url("http://" + service + "/").build());
    return java.util.Objects.requireNonNull(route != null ? route.mirror : null, "no mirror on " + service);
  }

  /** Puts {@code policy} in force on {@code service}, as a configuration reload does. */
  void reload(String service, ServicePolicy policy) {
    Cluster cluster = clusters.get(service);
    cluster.swap(policy, cluster.loadBalancer(), cluster.requestKey());
  }

  /** Calls {@code request} and returns the status (the body, the endpoint's host, is read and closed). */
  int call(Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      return response.code();
    }
  }

  int call(String url) throws IOException {
    return call(new Request.Builder().url(url).build());
  }

  /** The host the last request went to. */
  String lastHost() {
    return sent.get(sent.size() - 1).url().host();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
