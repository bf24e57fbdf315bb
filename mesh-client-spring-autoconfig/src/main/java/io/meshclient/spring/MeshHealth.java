package io.meshclient.spring;

import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import io.meshclient.api.MeshConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mesh's health, independent of the Spring Boot line's health types: a service is up when it
 * has at least one healthy endpoint that is not ejected; a service without one gives the
 * application the status set in {@code mesh.health.status-without-endpoints} (DOWN by default).
 */
final class MeshHealth {
  /** The overall status code and the details per service. */
  record Report(String status, Map<String, Object> details) {}

  private final MeshClient mesh;
  private final String statusWithoutEndpoints;

  /** The statuses {@code mesh.health.status-without-endpoints} may take. */
  static final List<String> STATUSES = List.of("DOWN", "OUT_OF_SERVICE", "UNKNOWN", "UP");

  MeshHealth(MeshClient mesh, String statusWithoutEndpoints) {
    this.mesh = mesh;
    this.statusWithoutEndpoints = status(statusWithoutEndpoints);
  }

  /**
   * {@code value} as a status code, upper case.
   *
   * @throws MeshConfigException naming the property if it is not one of {@link #STATUSES}
   */
  static String status(@Nullable String value) {
    String code = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
    if (!STATUSES.contains(code)) {
      throw new MeshConfigException("mesh.health.status-without-endpoints", value, "one of " + String.join(", ", STATUSES));
    }
    return code;
  }

  Report report() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean allUp = true;
    for (MeshSnapshot.ServiceSnapshot service : mesh.snapshot().services()) {
      long healthy = service.endpoints().stream().filter(e -> e.healthy() && e.ejectedFor().isZero()).count();
      boolean up = healthy > 0;
      allUp &= up;
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("status", up ? "UP" : statusWithoutEndpoints);
      detail.put("healthyEndpoints", healthy);
      detail.put("endpoints", service.endpoints().size());
      detail.put("discovery", service.discovery().source());
      details.put(service.name(), detail);
    }
    return new Report(allUp ? "UP" : statusWithoutEndpoints, details);
  }
}
