package io.meshclient.discovery;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.discovery.internal.ConsulWatch;
import io.meshclient.discovery.internal.ServiceWatchers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * Endpoints from Consul's health API: the {@code consul:} source. For each service it keeps a
 * blocking query open on {@code /v1/health/service/<name>?passing}, so a change reaches the mesh as
 * soon as Consul sees it, and follows Consul's rules for the {@code X-Consul-Index}. Tags and
 * meta become labels; see the mapping in the project's discovery documentation.
 *
 * <pre>{@code
 * ConsulDiscovery consul = ConsulDiscovery.builder(HttpUrl.get("http://127.0.0.1:8500"))
 *     .datacenter("eu-west-1")
 *     .token(System.getenv("CONSUL_HTTP_TOKEN"))
 *     .build();
 * MeshClient mesh = MeshClient.builder().discovery(consul).service("orders", s -> {}).build();
 * }</pre>
 *
 * <p>A service Consul does not know, or one without passing instances, has no endpoints (an empty
 * set); an agent that cannot be reached, answers an error or answers something malformed is a
 * failure: the mesh keeps the last good endpoints while the query is retried.
 *
 * <p>Thread-safe. Queries run on OkHttp's dispatcher; close the source to stop them.
 */
public final class ConsulDiscovery implements ServiceDiscovery {
  /** How long one blocking query may wait for a change unless set otherwise: 5 minutes (Consul's own default). */
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
  /** The shortest time between two queries of one service unless set otherwise: 100 ms. */
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMillis(100);
  /** The first wait before retrying a failed query unless set otherwise: 1 second. */
  public static final Duration DEFAULT_RETRY_MIN = Duration.ofSeconds(1);
  /** The longest wait before retrying a failed query unless set otherwise: 30 seconds. */
  public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);

  private final Builder settings;
  private final OkHttpClient client;
  private final String shown;
  private final ServiceWatchers watchers = new ServiceWatchers(this::start);
  private final Map<String, ConsulWatch> running = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor scheduler;
  private volatile boolean closed;

  private ConsulDiscovery(Builder b) {
    this.settings = b;
    this.shown = b.shown != null ? b.shown : "consul " + b.agent;
    // Blocking queries wait up to wait + wait/16 on the agent; the read timeout leaves room for it.
    Duration readTimeout = b.wait.plus(b.wait.dividedBy(16)).plusSeconds(10);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(1024);
    dispatcher.setMaxRequestsPerHost(1024); // one long-poll per watched service, all to one agent
    this.client = (b.client != null ? b.client.newBuilder() : new OkHttpClient.Builder())
        .dispatcher(dispatcher)
        .readTimeout(readTimeout)
        .callTimeout(Duration.ZERO)
        .build();
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "mesh-consul-discovery");
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  /** A builder for a source that asks the Consul agent at {@code agent}, e.g. {@code http://127.0.0.1:8500}. */
  public static Builder builder(HttpUrl agent) {
    return new Builder(agent);
  }

  /** Starts a blocking query for the service (at once), then pushes every change. */
  @Override
  public Subscription watch(String service, Listener listener) {
    return watchers.add(requireNonNull(service, "service"), listener);
  }

  /** Cancels every query and releases the source's threads. Idempotent. */
  @Override
  public void close() {
    closed = true;
    running.values().forEach(ConsulWatch::close);
    scheduler.shutdownNow();
    client.dispatcher().executorService().shutdown();
    if (settings.client == null) {
      client.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return shown;
  }

  private void start(String service) {
    if (closed) {
      return;
    }
    ConsulWatch.Settings s = new ConsulWatch.Settings(client, settings.agent,
        settings.service != null ? settings.service : service, settings.datacenter, settings.tag,
        settings.onlyPassing, settings.secure, settings.token, settings.wait, settings.minInterval,
        settings.retryMin, settings.retryMax);
    ConsulWatch watch = new ConsulWatch(service, s, watchers, scheduler);
    running.put(service, watch);
    watch.start();
  }

  /**
   * Settings of a {@link ConsulDiscovery}; each setter checks its value at once. Not thread-safe.
   */
  public static final class Builder {
    private final HttpUrl agent;
    private @Nullable String service;
    private @Nullable String datacenter;
    private @Nullable String tag;
    private boolean onlyPassing = true;
    private boolean secure;
    private @Nullable String token;
    private Duration wait = DEFAULT_WAIT;
    private Duration minInterval = DEFAULT_MIN_INTERVAL;
    private Duration retryMin = DEFAULT_RETRY_MIN;
    private Duration retryMax = DEFAULT_RETRY_MAX;
    private @Nullable OkHttpClient client;
    private @Nullable String shown;

    private Builder(HttpUrl agent) {
      this.agent = requireNonNull(agent, "agent");
    }

    /** The Consul service to read for every mesh service; by default each mesh service's own name. */
    public Builder service(String service) {
      this.service = nonBlank("discovery.service", service);
      return this;
    }

    /** The datacenter to ask about; by default the agent's own. */
    public Builder datacenter(String datacenter) {
      this.datacenter = nonBlank("discovery.dc", datacenter);
      return this;
    }

    /** Only instances with this tag. */
    public Builder tag(String tag) {
      this.tag = nonBlank("discovery.tag", tag);
      return this;
    }

    /**
     * Whether to ask only for instances whose checks pass (default); with {@code false}, every
     * instance comes back and one with a critical check is marked {@linkplain io.meshclient.api.Endpoint#healthy() unhealthy}.
     */
    public Builder onlyPassing(boolean onlyPassing) {
      this.onlyPassing = onlyPassing;
      return this;
    }

    /** Calls every endpoint over HTTPS (an instance with the meta {@code secure=true} is called so anyway). */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** The ACL token, sent as {@code X-Consul-Token}; never logged. */
    public Builder token(String token) {
      this.token = nonBlank("discovery.token", token);
      return this;
    }

    /** How long one blocking query may wait for a change, 1 s to 10 min; {@link #DEFAULT_WAIT} by default. */
    public Builder waitTime(Duration wait) {
      requireNonNull(wait, "wait");
      if (wait.compareTo(Duration.ofSeconds(1)) < 0 || wait.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new MeshConfigException("discovery.wait", wait, "1s..10m (Consul's limit)");
      }
      this.wait = wait;
      return this;
    }

    /** The shortest time between the starts of two queries of one service; {@link #DEFAULT_MIN_INTERVAL} by default. */
    public Builder minInterval(Duration minInterval) {
      requireNonNull(minInterval, "minInterval");
      if (minInterval.isNegative()) {
        throw new MeshConfigException("discovery.minInterval", minInterval, ">= 0");
      }
      this.minInterval = minInterval;
      return this;
    }

    /** The waits before retrying a failed query: from {@code min}, doubling, up to {@code max}. */
    public Builder retry(Duration min, Duration max) {
      requireNonNull(min, "min");
      requireNonNull(max, "max");
      if (min.isNegative() || min.isZero()) {
        throw new MeshConfigException("discovery.retryMin", min, "> 0");
      }
      if (max.compareTo(min) < 0) {
        throw new MeshConfigException("discovery.retryMax", max, ">= retryMin (" + min + ")");
      }
      this.retryMin = min;
      this.retryMax = max;
      return this;
    }

    /** The OkHttp client to query with (its pool and TLS settings); by default a new one. */
    public Builder client(OkHttpClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    Builder shownAs(String shown) {
      this.shown = shown;
      return this;
    }

    /** Builds the source; no query is sent before a service is watched. */
    public ConsulDiscovery build() {
      return new ConsulDiscovery(this);
    }

    private static String nonBlank(String path, String value) {
      requireNonNull(value, path);
      if (value.isBlank()) {
        throw new MeshConfigException(path, value, "a non-blank value");
      }
      return value;
    }
  }
}
