package io.meshclient.core.metrics;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.core.MeshTelemetry;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mesh's Micrometer meters. Per logical call, {@code http.client.request.duration} (a timer in
 * seconds, tagged as the OpenTelemetry HTTP client conventions say: {@code http.request.method},
 * {@code server.address} (the logical service), {@code http.response.status_code},
 * {@code error.type}, plus a bounded {@code outcome}; a status or error type that is absent is
 * an empty value, since Micrometer wants the same tag keys on every series of a meter); and the
 * mesh's own:
 *
 * <ul>
 *   <li>counters {@code mesh.client.attempts} ({@code service}, {@code outcome}, and
 *       {@code endpoint} if {@linkplain Builder#endpointTag asked for}), {@code mesh.client.retries}
 *       ({@code service}, {@code reason}), {@code mesh.client.hedges},
 *       {@code mesh.client.retry.budget.exhausted}, {@code mesh.client.rejected} ({@code service},
 *       {@code reason}), {@code mesh.endpoint.ejections} ({@code service}, {@code reason}),
 *       {@code mesh.circuit.transitions} ({@code service}, {@code from}, {@code to});
 *   <li>gauges read at scrape time: {@code mesh.endpoints} ({@code service}, {@code state}:
 *       {@code healthy}, {@code unhealthy}, {@code ejected}), {@code mesh.circuit.state}
 *       ({@code service}, {@code state}: endpoints per breaker state),
 *       {@code mesh.service.circuit.state} ({@code service}, {@code state}: 1 for the state the
 *       service-level breaker is in, else 0), {@code mesh.client.inflight}
 *       ({@code service}), and the discovery gauges of {@link DiscoveryMeters}.
 * </ul>
 *
 * With {@code PrometheusMeterRegistry} the names become {@code http_client_request_duration_seconds},
 * {@code mesh_client_attempts_total} and so on. No client-side percentiles are computed; turn on
 * {@linkplain Builder#histogram histogram buckets} for server-side quantiles.
 *
 * <pre>{@code
 * MeshClient mesh = MeshClient.builder()
 *     .telemetry(MeshMetrics.of(meterRegistry))
 *     .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.7", 8080)))
 *     .build();
 * }</pre>
 *
 * <p>Closing the mesh removes every meter it registered from the registry, so a mesh built later
 * on the same registry reports its own services. With {@linkplain Builder#endpointTag the endpoint
 * tag}, an endpoint's series stay until then, also after the endpoint left discovery.
 *
 * <p>Needs {@code io.micrometer:micrometer-core} (an optional dependency of the mesh). Thread-safe;
 * one instance serves one mesh (it keeps the ids of the meters it registered for it).
 */
public final class MeshMetrics implements MeshTelemetry {
  static final String DURATION = "http.client.request.duration";

  private final MeterRegistry registry;
  private final Set<Meter.Id> registered = ConcurrentHashMap.newKeySet();
  private final boolean endpointTag;
  private final boolean histogram;

  private MeshMetrics(Builder b) {
    this.registry = b.registry;
    this.endpointTag = b.endpointTag;
    this.histogram = b.histogram;
  }

  /** The meters, with defaults, in {@code registry}. */
  public static MeshMetrics of(MeterRegistry registry) {
    return builder(registry).build();
  }

  /** A builder for meters in {@code registry}. */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(requireNonNull(registry, "registry"));
  }

  /** The registry the meters go to. */
  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public CallObserver observer(Collection<Cluster> clusters, Redaction redaction) {
    for (Cluster cluster : clusters) {
      gauges(cluster);
    }
    return new MetricsObserver(this, clusters, endpointTag, histogram);
  }

  private void gauges(Cluster cluster) {
    String service = cluster.service();
    for (String state : List.of("healthy", "unhealthy", "ejected")) {
      keep(Gauge.builder("mesh.endpoints", cluster, c -> endpoints(c, state))
          .tags("service", service, "state", state)
          .description("Endpoints of the service by state: healthy (in rotation), unhealthy, ejected")
          .register(registry));
    }
    for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
      keep(Gauge.builder("mesh.circuit.state", cluster, c -> breakers(c, state))
          .tags("service", service, "state", state)
          .description("Endpoints of the service whose circuit breaker is in this state")
          .register(registry));
      keep(Gauge.builder("mesh.service.circuit.state", cluster, c -> serviceBreaker(c, state))
          .tags("service", service, "state", state)
          .description("1 for the state the service-level circuit breaker is in (CLOSED also when it is off), else 0")
          .register(registry));
    }
    keep(Gauge.builder("mesh.client.inflight", cluster, MeshMetrics::inFlight)
        .tag("service", service)
        .description("Attempts to the service waiting for response headers")
        .register(registry));
    DiscoveryMeters.register(registry, service, cluster, c -> c.discovery().staleFor().toNanos() / 1e9,
        c -> c.discovery().failingSince() != null ? 1 : 0, this::keep);
  }

  /** {@code meter}, its id kept to be removed when the mesh closes. */
  <M extends Meter> M keep(M meter) {
    registered.add(meter.getId());
    return meter;
  }

  /**
   * Removes from the registry every meter this instance registered for its mesh (the gauges that
   * read the mesh's state among them), so that a mesh built later on the same registry reports its
   * own. Called by {@link io.meshclient.core.MeshClient#close()}.
   */
  @Override
  public void close() {
    for (Iterator<Meter.Id> ids = registered.iterator(); ids.hasNext(); ) {
      registry.remove(ids.next());
      ids.remove();
    }
  }

  private static double endpoints(Cluster cluster, String state) {
    long now = cluster.ticker().read();
    int n = 0;
    for (EndpointState e : cluster.endpoints()) {
      long until = e.ejectedUntil();
      boolean ejected = until != Long.MIN_VALUE && now - until < 0;
      String s = ejected ? "ejected" : e.healthy() ? "healthy" : "unhealthy";
      if (s.equals(state)) {
        n++;
      }
    }
    return n;
  }

  private static double breakers(Cluster cluster, String state) {
    int n = 0;
    for (EndpointState e : cluster.endpoints()) {
      String s = e.circuitState();
      if (s.equals(state) || state.equals("CLOSED") && s.equals("DISABLED")) {
        n++;
      }
    }
    return n;
  }

  private static double serviceBreaker(Cluster cluster, String state) {
    String s = cluster.serviceCircuitState();
    return s.equals(state) || state.equals("CLOSED") && s.equals("DISABLED") ? 1 : 0;
  }

  private static double inFlight(Cluster cluster) {
    int n = 0;
    for (EndpointState e : cluster.endpoints()) {
      n += e.inFlight();
    }
    return n;
  }

  @Override
  public MeshEventListener events() {
    return new MeshEventListener() {
      @Override
      public void onCircuitStateChange(String service, Endpoint endpoint, String from, String to) {
        keep(Counter.builder("mesh.circuit.transitions")
            .tags("service", service, "from", from, "to", to)
            .description("Circuit breaker state changes of the service's endpoints")
            .register(registry))
            .increment();
      }

      @Override
      public void onEjection(String service, Endpoint endpoint, String reason, Duration duration) {
        keep(Counter.builder("mesh.endpoint.ejections")
            .tags("service", service, "reason", reason)
            .description("Endpoints outlier detection took out of rotation")
            .register(registry))
            .increment();
      }
    };
  }

  @Override
  public Optional<String> prometheusText() {
    return prometheusText(registry);
  }

  /** {@code scrape()} of a Prometheus registry (found by reflection: it is not a dependency), or of one in a composite. */
  private static Optional<String> prometheusText(MeterRegistry registry) {
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry r : composite.getRegistries()) {
        Optional<String> text = prometheusText(r);
        if (text.isPresent()) {
          return text;
        }
      }
      return Optional.empty();
    }
    if (!registry.getClass().getName().endsWith("PrometheusMeterRegistry")) {
      return Optional.empty();
    }
    try {
      Method scrape = registry.getClass().getMethod("scrape");
      return Optional.of((String) scrape.invoke(registry));
    } catch (ReflectiveOperationException | ClassCastException e) {
      return Optional.empty();
    }
  }

  /** Builds {@link MeshMetrics}. Not thread-safe. */
  public static final class Builder {
    private final MeterRegistry registry;
    private boolean endpointTag;
    private boolean histogram;

    private Builder(MeterRegistry registry) {
      this.registry = registry;
    }

    /**
     * Whether {@code mesh.client.attempts} also carries the {@code endpoint} tag ({@code host:port}).
     * Off by default: one series per endpoint, and endpoints come and go.
     */
    public Builder endpointTag(boolean enabled) {
      this.endpointTag = enabled;
      return this;
    }

    /**
     * Whether {@code http.client.request.duration} publishes histogram buckets (for
     * {@code histogram_quantile} in Prometheus). Off by default.
     */
    public Builder histogram(boolean enabled) {
      this.histogram = enabled;
      return this;
    }

    /** Builds the value. */
    public MeshMetrics build() {
      return new MeshMetrics(this);
    }
  }
}
