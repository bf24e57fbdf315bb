package io.meshclient.core.tracing;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.Redaction;
import io.meshclient.core.MeshTelemetry;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Collection;

/**
 * The mesh's OpenTelemetry traces. Each mesh call gets a span for the logical call
 * ({@code INTERNAL}, named {@code <method> <service>}) and, under it, one {@code CLIENT} span per
 * attempt (named after the method) with the HTTP client attributes of the OpenTelemetry
 * conventions: {@code http.request.method}, {@code server.address} and {@code server.port} of the
 * endpoint chosen, {@code url.full} (secrets redacted), {@code http.request.resend_count},
 * {@code http.response.status_code}, {@code error.type}. Every attempt carries the trace context
 * and baggage of the current {@link io.opentelemetry.context.Context} in its headers (the
 * instance's propagators, or W3C {@code traceparent} and {@code baggage} when it has none).
 *
 * <p>Each attempt span also gets a {@code mesh.pick} event that explains the pick: the endpoints
 * considered, their scores, the one chosen and why each other one was passed over. Retries,
 * retry-budget refusals and rejections are events on the logical span.
 *
 * <pre>{@code
 * MeshClient mesh = MeshClient.builder()
 *     .telemetry(MeshTracing.of(GlobalOpenTelemetry.get()))
 *     .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.7", 8080)))
 *     .build();
 * }</pre>
 *
 * <p>Needs {@code io.opentelemetry:opentelemetry-api} (an optional dependency of the mesh); with
 * the API alone (no SDK) spans are not recorded but the caller's context is still propagated.
 * Immutable and thread-safe.
 */
public final class MeshTracing implements MeshTelemetry {
  /** The instrumentation scope's name. */
  public static final String SCOPE = "io.meshclient";

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  private MeshTracing(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(SCOPE);
    TextMapPropagator own = openTelemetry.getPropagators().getTextMapPropagator();
    this.propagator = own.fields().isEmpty()
        ? TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())
        : own;
  }

  /** Traces through {@code openTelemetry}'s tracer and propagators. */
  public static MeshTracing of(OpenTelemetry openTelemetry) {
    return new MeshTracing(requireNonNull(openTelemetry, "openTelemetry"));
  }

  @Override
  public CallObserver observer(Collection<Cluster> clusters, Redaction redaction) {
    return new TracingObserver(tracer, propagator, redaction);
  }
}
