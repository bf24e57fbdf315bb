package io.meshclient.core.metrics;

import io.meshclient.api.Endpoint;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.Outcomes;
import io.meshclient.core.internal.PickState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Records each call's duration and each attempt, retry, hedge and refusal into Micrometer meters.
 * Meters are looked up once per distinct tag set and kept, so a call costs a map look-up or two.
 */
final class MetricsObserver implements CallObserver {
  /** The methods OpenTelemetry names; any other is {@code _OTHER}. */
  private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE",
      "CONNECT", "_OTHER"};

  private final MeterRegistry registry;
  /** Keeps the id of every meter registered, so that closing the mesh removes them. */
  private final MeshMetrics metrics;
  private final Map<String, ServiceMeters> services = new HashMap<>();
  private final boolean endpointTag;
  private final boolean histogram;

  MetricsObserver(MeshMetrics metrics, Collection<Cluster> clusters, boolean endpointTag, boolean histogram) {
    this.registry = metrics.registry();
    this.metrics = metrics;
    this.endpointTag = endpointTag;
    this.histogram = histogram;
    for (Cluster cluster : clusters) {
      services.put(cluster.service(), new ServiceMeters(cluster.service()));
    }
  }

  @Override
  public Call start(Cluster cluster, Request request, @Nullable String route) {
    ServiceMeters meters = services.get(cluster.service());
    if (meters == null) {
      return Call.NONE;
    }
    return new MetricsCall(meters, method(request.method()), registry.config().clock().monotonicTime());
  }

  private static int method(String method) {
    for (int i = 0; i < METHODS.length - 1; i++) {
      if (METHODS[i].equals(method)) {
        return i;
      }
    }
    return METHODS.length - 1;
  }

  private final class MetricsCall implements Call {
    private final ServiceMeters meters;
    private final int method;
    private final long started;
    private boolean rejected;

    MetricsCall(ServiceMeters meters, int method, long started) {
      this.meters = meters;
      this.method = method;
      this.started = started;
    }

    @Override
    public Attempt attempt(int attempt, EndpointState chosen, PickState picks, Request.Builder request, boolean hedge) {
      if (hedge) {
        meters.hedges.increment();
      }
      if (!endpointTag) {
        return meters.attempts;
      }
      String address = chosen.endpoint().address();
      return (status, failure, nanos) -> meters.attempt(Outcomes.of(status, failure), address).increment();
    }

    @Override
    public void retry(String reason) {
      meters.retries.computeIfAbsent(reason, r -> metrics.keep(Counter.builder("mesh.client.retries")
          .tags("service", meters.service, "reason", r)
          .description("Retries of calls to the service, by the failure that caused them")
          .register(registry))).increment();
    }

    @Override
    public void budgetExhausted() {
      meters.budgetExhausted.increment();
    }

    @Override
    public void rejected(String by) {
      rejected = true;
      meters.rejected.computeIfAbsent(by, r -> metrics.keep(Counter.builder("mesh.client.rejected")
          .tags("service", meters.service, "reason", r)
          .description("Calls refused before any attempt (bulkhead, rate limiter, service breaker)")
          .register(registry))).increment();
    }

    @Override
    public void faultInjected(String kind) {
      meters.faults.computeIfAbsent(kind, k -> metrics.keep(Counter.builder("mesh.client.faults")
          .tags("service", meters.service, "kind", k)
          .description("Faults a route injected into calls (delay or abort)")
          .register(registry))).increment();
    }

    @Override
    public void mirrorDropped() {
      meters.mirrorsDropped.increment();
    }

    @Override
    public void end(@Nullable Response response, @Nullable Throwable failure, int attempts, @Nullable Endpoint endpoint) {
      long nanos = registry.config().clock().monotonicTime() - started;
      int status = response != null ? response.code() : 0;
      meters.duration(method, status, failure, rejected).record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The meters of one service, made on first use. */
  private final class ServiceMeters {
    final String service;
    final Counter hedges;
    final Counter budgetExhausted;
    final Counter mirrorsDropped;
    final Map<String, Counter> faults = new ConcurrentHashMap<>();
    final Map<String, Counter> retries = new ConcurrentHashMap<>();
    final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    final Map<String, Counter> attemptsByOutcome = new ConcurrentHashMap<>();
    final Map<Integer, Timer> answered = new ConcurrentHashMap<>();
    final Map<String, Timer> failed = new ConcurrentHashMap<>();
    final Attempt attempts = (status, failure, nanos) -> attempt(Outcomes.of(status, failure), null).increment();

    ServiceMeters(String service) {
      this.service = service;
      this.hedges = metrics.keep(Counter.builder("mesh.client.hedges").tag("service", service)
          .description("Hedged attempts sent while an earlier attempt was still in flight").register(registry));
      this.budgetExhausted = metrics.keep(Counter.builder("mesh.client.retry.budget.exhausted").tag("service", service)
          .description("Retries and hedges the retry budget refused").register(registry));
      this.mirrorsDropped = metrics.keep(Counter.builder("mesh.client.mirror.dropped").tag("service", service)
          .description("Mirrored copies not sent: too many in flight, or no endpoint to send them to").register(registry));
    }

    Counter attempt(String outcome, @Nullable String endpoint) {
      String key = endpoint == null ? outcome : outcome + ' ' + endpoint;
      return attemptsByOutcome.computeIfAbsent(key, k -> {
        Counter.Builder b = Counter.builder("mesh.client.attempts")
            .tags("service", service, "outcome", outcome)
            .description("Attempts sent to the service's endpoints, by outcome");
        if (endpointTag) {
          b.tag("endpoint", endpoint == null ? "" : endpoint);
        }
        return metrics.keep(b.register(registry));
      });
    }

    Timer duration(int method, int status, @Nullable Throwable failure, boolean rejected) {
      if (failure == null) {
        return answered.computeIfAbsent(method * 1000 + status, k -> timer(method, status, null, Outcomes.ofStatus(status)));
      }
      // Admission refused the call: whatever the exception, its outcome is REJECTED.
      String outcome = rejected && status == 0 ? "REJECTED" : Outcomes.of(status, failure);
      String key = method + " " + failure.getClass().getName() + " " + outcome;
      return failed.computeIfAbsent(key, k -> timer(method, status, failure, outcome));
    }

    private Timer timer(int method, int status, @Nullable Throwable failure, String outcome) {
      String errorType = Outcomes.errorType(status, failure);
      return metrics.keep(Timer.builder(MeshMetrics.DURATION)
          .description("Duration of logical HTTP calls through the mesh, retries included")
          .tags("http.request.method", METHODS[method],
              "server.address", service,
              "http.response.status_code", status > 0 ? String.valueOf(status) : "",
              "error.type", errorType == null ? "" : errorType,
              "outcome", outcome)
          .publishPercentileHistogram(histogram)
          .register(registry));
    }
  }
}
