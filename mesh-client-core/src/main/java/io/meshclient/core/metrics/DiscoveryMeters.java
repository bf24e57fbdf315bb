package io.meshclient.core.metrics;

import static java.util.Objects.requireNonNull;

import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer gauges of each service's discovery source, so that a failing registry shows on a
 * dashboard and not only in the log:
 * <ul>
 *   <li>{@code mesh.discovery.staleness} (seconds, tag {@code service}): how long the source has
 *       been failing while the service runs on its last known endpoints; 0 while it answers;
 *   <li>{@code mesh.discovery.failing} (tag {@code service}): 1 while the source is failing, else 0.
 * </ul>
 * The values are read when the registry asks (at scrape time), nothing is recorded on the request
 * path. Needs {@code io.micrometer:micrometer-core} on the class path, an optional dependency of
 * the mesh.
 *
 * <pre>{@code
 * new DiscoveryMeters(mesh).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>{@link MeshMetrics} registers these gauges too: a mesh built with it needs no
 * {@code DiscoveryMeters}.
 *
 * <p>Thread-safe.
 */
public final class DiscoveryMeters implements MeterBinder {
  private final MeshClient mesh;

  /** Gauges for every service {@code mesh} routes. */
  public DiscoveryMeters(MeshClient mesh) {
    this.mesh = requireNonNull(mesh, "mesh");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String service : mesh.services()) {
      register(registry, service, mesh, m -> staleSeconds(m, service),
          m -> m.discovery(service).filter(MeshSnapshot.DiscoverySnapshot::failing).isPresent() ? 1 : 0, m -> {});
    }
  }

  /**
   * The two gauges of one service, read from {@code source}, each handed to {@code registered};
   * {@link MeshMetrics} registers the same.
   */
  static <T> void register(MeterRegistry registry, String service, T source, ToDoubleFunction<T> staleSeconds,
      ToDoubleFunction<T> failing, Consumer<Meter> registered) {
    registered.accept(Gauge.builder("mesh.discovery.staleness", source, staleSeconds)
        .tag("service", service)
        .baseUnit("seconds")
        .description("How long the service's discovery source has been failing (0 while it answers)")
        .register(registry));
    registered.accept(Gauge.builder("mesh.discovery.failing", source, failing)
        .tag("service", service)
        .description("1 while the service's discovery source is failing and the last known endpoints are in use")
        .register(registry));
  }

  private static double staleSeconds(MeshClient mesh, String service) {
    return mesh.discovery(service).map(d -> d.staleFor().toNanos() / 1e9).orElse(Double.NaN);
  }
}
