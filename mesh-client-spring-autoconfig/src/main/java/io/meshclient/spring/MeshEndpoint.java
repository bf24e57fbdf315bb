package io.meshclient.spring;

import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code /actuator/mesh} endpoint: {@link MeshClient#snapshot()} as plain data (services,
 * endpoints with load, latency, scores, health, ejections and breaker state, discovery health,
 * egress denials). Expose it with {@code management.endpoints.web.exposure.include=mesh}.
 *
 * <p>Thread-safe; each read takes a new snapshot.
 */
@Endpoint(id = "mesh")
public class MeshEndpoint {
  private final MeshClient mesh;

  /** The endpoint of {@code mesh}. */
  public MeshEndpoint(MeshClient mesh) {
    this.mesh = mesh;
  }

  /** The snapshot, as maps and lists of plain values. */
  @ReadOperation
  public Map<String, Object> snapshot() {
    MeshSnapshot snapshot = mesh.snapshot();
    List<Object> services = new ArrayList<>();
    for (MeshSnapshot.ServiceSnapshot s : snapshot.services()) {
      Map<String, Object> service = new LinkedHashMap<>();
      service.put("name", s.name());
      service.put("loadBalancer", s.loadBalancer());
      service.put("panic", s.panic());
      service.put("crossZoneShare", s.crossZoneShare());
      Map<String, Object> discovery = new LinkedHashMap<>();
      discovery.put("source", s.discovery().source());
      discovery.put("lastUpdate", String.valueOf(s.discovery().lastUpdate()));
      discovery.put("failing", s.discovery().failing());
      discovery.put("staleFor", s.discovery().staleFor().toString());
      if (s.discovery().error() != null) {
        discovery.put("error", s.discovery().error());
      }
      service.put("discovery", discovery);
      List<Object> endpoints = new ArrayList<>();
      for (MeshSnapshot.EndpointSnapshot e : s.endpoints()) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("id", e.endpoint().id());
        endpoint.put("address", e.endpoint().address());
        endpoint.put("zone", e.endpoint().zone());
        endpoint.put("healthy", e.healthy());
        endpoint.put("ejectedFor", e.ejectedFor().toString());
        endpoint.put("circuitState", e.circuitState());
        endpoint.put("inFlight", e.inFlight());
        endpoint.put("requests", e.requests());
        endpoint.put("failures", e.failures());
        endpoint.put("weight", e.weight());
        endpoint.put("latencyMillis", e.latencyMillis());
        endpoint.put("score", e.score());
        endpoint.put("penalized", e.penalized());
        endpoint.put("rampingUp", e.rampingUp());
        endpoints.add(endpoint);
      }
      service.put("endpoints", endpoints);
      services.add(service);
    }
    Map<String, Object> egress = new LinkedHashMap<>();
    egress.put("denied", snapshot.egress().denied());
    egress.put("deniedByRule", snapshot.egress().deniedByRule());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("services", services);
    result.put("egress", egress);
    return result;
  }
}
