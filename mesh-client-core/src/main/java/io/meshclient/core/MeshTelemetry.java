package io.meshclient.core;

import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import java.util.Collection;
import java.util.Optional;

/**
 * Something that observes a mesh: its metrics ({@link io.meshclient.core.metrics.MeshMetrics}) or
 * its traces ({@link io.meshclient.core.tracing.MeshTracing}). Given to
 * {@link MeshClientBuilder#telemetry(MeshTelemetry)}; the mesh calls {@link #events()} and
 * {@link #observer} once, while it is built, and {@link #close()} when it is closed.
 *
 * <pre>{@code
 * MeshClient mesh = MeshClient.builder()
 *     .telemetry(MeshMetrics.of(meterRegistry))
 *     .telemetry(MeshTracing.of(openTelemetry))
 *     .service("orders", s -> s.endpoints(Endpoint.of("10.0.0.7", 8080)))
 *     .build();
 * }</pre>
 *
 * <p>This type mentions neither Micrometer nor OpenTelemetry, so the builder loads without them;
 * only the implementations need their library. The methods are the mesh's own wiring (their
 * parameter types are internal); applications pass the implementations above and do not call or
 * implement them. Implementations are thread-safe.
 */
public interface MeshTelemetry {
  /**
   * The observer of every call to the mesh's {@code clusters}, which writes URLs and messages
   * through {@code redaction}.
   */
  CallObserver observer(Collection<Cluster> clusters, Redaction redaction);

  /** What it hears of breaker changes, ejections and health changes; nothing by default. */
  default MeshEventListener events() {
    return MeshEventListener.NONE;
  }

  /**
   * The meters in the Prometheus text format, when the telemetry has a Prometheus registry: what
   * the {@linkplain MeshClientBuilder#adminServer admin server}'s {@code /metrics} serves.
   */
  default Optional<String> prometheusText() {
    return Optional.empty();
  }

  /**
   * The mesh is closed: let go of what was made for it ({@code MeshMetrics} removes the meters it
   * registered). Called once, by {@link MeshClient#close()}; does nothing by default.
   */
  default void close() {}
}
