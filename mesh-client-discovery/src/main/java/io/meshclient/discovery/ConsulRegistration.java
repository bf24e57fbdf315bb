package io.meshclient.discovery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceRegistration;
import io.meshclient.discovery.internal.UriSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces this process to the local Consul agent ({@code /v1/agent/service/register}) and keeps
 * it there: with a TTL check (the default) that this registration passes every third of the TTL,
 * or with an HTTP check the agent runs itself. Closing a registration deregisters it; if the
 * process dies, Consul marks the TTL check critical and removes the instance after
 * {@linkplain Builder#deregisterCriticalAfter a while}.
 *
 * <pre>{@code
 * try (ConsulRegistration consul = ConsulRegistration.builder(HttpUrl.get("http://127.0.0.1:8500")).build();
 *      ServiceRegistration.Registration r = consul.register("orders",
 *          Endpoint.builder("10.0.0.7", 8080).zone("eu-west-1a").label("version", "v2").build())) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>The endpoint's labels become the instance's meta, its zone the meta {@code zone}, TLS the
 * meta {@code secure=true} and its weight the passing weight, which is what {@link ConsulDiscovery}
 * reads back. The service ID is {@code <service>-<endpoint id>}.
 *
 * <p>Thread-safe.
 */
public final class ConsulRegistration implements ServiceRegistration {
  private static final Logger log = LoggerFactory.getLogger(ConsulRegistration.class);
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The TTL of the check unless set otherwise: 15 seconds. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);
  /** How long Consul keeps an instance whose check is critical unless set otherwise: 1 minute. */
  public static final Duration DEFAULT_DEREGISTER_CRITICAL_AFTER = Duration.ofMinutes(1);

  private final Builder settings;
  private final OkHttpClient client;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Set<Live> live = new CopyOnWriteArraySet<>();

  private ConsulRegistration(Builder b) {
    this.settings = b;
    this.client = b.client != null ? b.client : new OkHttpClient();
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "mesh-consul-registration");
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
  }

  /** A builder for registrations with the Consul agent at {@code agent}, e.g. {@code http://127.0.0.1:8500}. */
  public static Builder builder(HttpUrl agent) {
    return new Builder(agent);
  }

  @Override
  public Registration register(String service, Endpoint self) throws IOException {
    requireNonNull(service, "service");
    requireNonNull(self, "self");
    String id = service + "-" + self.id();
    Live registration = new Live(id, definition(service, id, self).toString());
    registration.register();
    if (settings.httpCheck == null) {
      long period = Math.max(1, settings.ttl.toMillis() / 3);
      registration.keepAlive = scheduler.scheduleWithFixedDelay(registration::pass, period, period, TimeUnit.MILLISECONDS);
    }
    live.add(registration);
    return registration;
  }

  /** Deregisters every live registration and stops the TTL updates. */
  @Override
  public void close() {
    live.forEach(Live::close);
    scheduler.shutdownNow();
    if (settings.client == null) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "ConsulRegistration{" + settings.agent + ", " + live.size() + " live}";
  }

  private ObjectNode definition(String service, String id, Endpoint self) {
    ObjectNode body = JSON.createObjectNode()
        .put("ID", id)
        .put("Name", service)
        .put("Address", self.host())
        .put("Port", self.port());
    body.putArray("Tags").addAll(settings.tags.stream().map(JSON.getNodeFactory()::textNode).toList());
    ObjectNode meta = body.putObject("Meta");
    self.labels().forEach(meta::put);
    if (self.zone() != null) {
      meta.put("zone", self.zone());
    }
    if (self.secure()) {
      meta.put("secure", "true");
    }
    body.putObject("Weights").put("Passing", self.weight()).put("Warning", 1);
    ObjectNode check = body.putObject("Check")
        .put("CheckID", "service:" + id)
        .put("Name", "mesh-client " + (settings.httpCheck == null ? "TTL" : "HTTP") + " check of " + id)
        .put("DeregisterCriticalServiceAfter", UriSettings.format(settings.deregisterCriticalAfter));
    if (settings.httpCheck == null) {
      check.put("TTL", UriSettings.format(settings.ttl)).put("Status", "passing");
    } else {
      check.put("HTTP", settings.httpCheck.toString()).put("Interval", UriSettings.format(settings.httpInterval));
    }
    return body;
  }

  private Response put(HttpUrl url, String body) throws IOException {
    Request.Builder request = new Request.Builder().url(url).put(RequestBody.create(body, JSON_TYPE));
    if (settings.token != null) {
      request.header("X-Consul-Token", settings.token);
    }
    return client.newCall(request.build()).execute();
  }

  private HttpUrl url(String segments, String last) {
    return settings.agent.newBuilder().addPathSegments(segments).addPathSegment(last).build();
  }

  /** One registered instance. */
  private final class Live implements Registration {
    final String id;
    final String definition;
    volatile @Nullable ScheduledFuture<?> keepAlive;
    private volatile boolean closed;
    private boolean failing;

    Live(String id, String definition) {
      this.id = id;
      this.definition = definition;
    }

    void register() throws IOException {
      HttpUrl url = settings.agent.newBuilder().addPathSegments("v1/agent/service/register").build();
      try (Response response = put(url, definition)) {
        if (!response.isSuccessful()) {
          throw new IOException("Consul at " + settings.agent + " refused to register " + id + ": HTTP "
              + response.code() + " " + response.body().string().trim());
        }
      }
    }

    /** Passes the TTL check; if the agent forgot the instance (it restarted), registers it again. */
    synchronized void pass() {
      if (closed) {
        return;
      }
      try (Response response = put(url("v1/agent/check/pass", "service:" + id), "")) {
        if (response.code() == 404) {
          log.info("Consul at {} no longer knows {}; registering it again", settings.agent, id);
          register();
        } else if (!response.isSuccessful()) {
          throw new IOException("HTTP " + response.code() + " " + response.body().string().trim());
        }
        if (failing) {
          log.info("Consul TTL check of {} passing again", id);
          failing = false;
        }
      } catch (IOException e) {
        if (!failing) {
          log.warn("passing the Consul TTL check of {} failed; retrying every {} ms", id, settings.ttl.toMillis() / 3, e);
          failing = true;
        }
      }
    }

    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      ScheduledFuture<?> task = keepAlive;
      if (task != null) {
        task.cancel(false);
      }
      live.remove(this);
      try (Response response = put(url("v1/agent/service/deregister", id), "")) {
        if (!response.isSuccessful()) {
          log.warn("Consul at {} refused to deregister {}: HTTP {}", settings.agent, id, response.code());
        }
      } catch (IOException e) {
        log.warn("deregistering {} from Consul at {} failed; its check will lapse", id, settings.agent, e);
      }
    }
  }

  /** Settings of a {@link ConsulRegistration}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private final HttpUrl agent;
    private Duration ttl = DEFAULT_TTL;
    private Duration deregisterCriticalAfter = DEFAULT_DEREGISTER_CRITICAL_AFTER;
    private @Nullable HttpUrl httpCheck;
    private Duration httpInterval = Duration.ofSeconds(10);
    private List<String> tags = List.of();
    private @Nullable String token;
    private @Nullable OkHttpClient client;

    private Builder(HttpUrl agent) {
      this.agent = requireNonNull(agent, "agent");
    }

    /** The TTL check's TTL (passed every third of it), 1 s at least; {@link #DEFAULT_TTL} by default. */
    public Builder ttl(Duration ttl) {
      requireNonNull(ttl, "ttl");
      if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new MeshConfigException("registration.ttl", ttl, ">= 1s");
      }
      this.ttl = ttl;
      return this;
    }

    /** Uses an HTTP check the agent runs every {@code interval} on {@code url} instead of a TTL check. */
    public Builder httpCheck(HttpUrl url, Duration interval) {
      requireNonNull(interval, "interval");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new MeshConfigException("registration.httpCheck.interval", interval, ">= 1s");
      }
      this.httpCheck = requireNonNull(url, "url");
      this.httpInterval = interval;
      return this;
    }

    /** How long Consul keeps an instance whose check is critical before removing it, 1 min at least (Consul's floor). */
    public Builder deregisterCriticalAfter(Duration after) {
      requireNonNull(after, "after");
      if (after.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new MeshConfigException("registration.deregisterCriticalAfter", after, ">= 1m");
      }
      this.deregisterCriticalAfter = after;
      return this;
    }

    /** Tags of every instance registered. */
    public Builder tags(List<String> tags) {
      this.tags = List.copyOf(tags);
      return this;
    }

    /** The ACL token, sent as {@code X-Consul-Token}; never logged. */
    public Builder token(String token) {
      this.token = requireNonNull(token, "token");
      return this;
    }

    /** The OkHttp client to talk to the agent with; by default a new one, shut down on close. */
    public Builder client(OkHttpClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** Builds the registry client; nothing is sent before {@link ConsulRegistration#register}. */
    public ConsulRegistration build() {
      return new ConsulRegistration(this);
    }
  }
}
