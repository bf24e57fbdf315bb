package io.meshclient.discovery.k8s;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the EndpointSlices of one Service into one {@link EndpointSet}.
 *
 * <p>The rule for conditions: an endpoint that is {@code ready} (or says nothing) is used; when no
 * endpoint is ready, those still {@code serving} while {@code terminating} are used instead, so a
 * rollout that drains every pod at once keeps traffic flowing, as kube-proxy does; anything else
 * is left out. The port is the one named in the URI, or the slice's only port; a port named
 * {@code https} or with {@code appProtocol: https} is called over TLS. The endpoint's zone comes
 * from the slice, and its node and pod become the labels {@code k8s.node} and {@code k8s.pod}. An
 * address that appears in two slices (while the controller moves it) counts once, with its better
 * conditions.
 */
final class SliceReader {
  static final String SERVICE_LABEL = "kubernetes.io/service-name";
  private static final Logger log = LoggerFactory.getLogger(SliceReader.class);

  private SliceReader() {}

  /**
   * The endpoints the slices describe.
   *
   * @throws IOException if there is no slice at all (no such Service, or one without a selector)
   * @throws MeshConfigException if the port cannot be chosen
   */
  static EndpointSet read(String namespace, String service, @Nullable String portName, Collection<EndpointSlice> slices)
      throws IOException {
    if (slices.isEmpty()) {
      throw new IOException("no EndpointSlice labelled " + SERVICE_LABEL + "=" + service + " in namespace " + namespace
          + " (is the Service there, with a selector?)");
    }
    Map<String, Candidate> byAddress = new TreeMap<>();
    for (EndpointSlice slice : slices) {
      if (slice.getEndpoints() == null || slice.getEndpoints().isEmpty()) {
        continue;
      }
      EndpointPort port = port(service, portName, slice);
      boolean secure = "https".equals(port.getName()) || "https".equalsIgnoreCase(port.getAppProtocol());
      for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint e : slice.getEndpoints()) {
        if (e.getAddresses() == null || e.getAddresses().isEmpty()) {
          continue;
        }
        Endpoint endpoint;
        try {
          endpoint = endpoint(e, port.getPort(), secure);
        } catch (MeshConfigException bad) {
          log.warn("EndpointSlice {} of {}/{} has an endpoint the mesh cannot use, leaving it out: {}",
              slice.getMetadata().getName(), namespace, service, bad.getMessage());
          continue;
        }
        Candidate candidate = new Candidate(endpoint, state(e.getConditions()));
        byAddress.merge(endpoint.id(), candidate, (a, b) -> a.state <= b.state ? a : b);
      }
    }
    List<Endpoint> ready = new ArrayList<>();
    List<Endpoint> draining = new ArrayList<>();
    for (Candidate c : byAddress.values()) {
      if (c.state == READY) {
        ready.add(c.endpoint);
      } else if (c.state == SERVING_TERMINATING) {
        draining.add(c.endpoint);
      }
    }
    return EndpointSet.of(ready.isEmpty() ? draining : ready);
  }

  private static EndpointPort port(String service, @Nullable String portName, EndpointSlice slice) {
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    if (portName != null) {
      for (EndpointPort port : ports) {
        if (portName.equals(port.getName()) && port.getPort() != null) {
          return port;
        }
      }
      throw new MeshConfigException("k8s.portName", portName, "a port of Service " + service + ": " + names(ports));
    }
    if (ports.size() == 1 && ports.get(0).getPort() != null) {
      return ports.get(0);
    }
    throw new MeshConfigException("k8s.portName", null, ports.isEmpty()
        ? "a Service with ports (its EndpointSlices list none)"
        : "one of " + names(ports) + ": Service " + service + " has several ports, so name one (k8s://ns/" + service + ":name)");
  }

  private static String names(List<EndpointPort> ports) {
    TreeSet<String> names = new TreeSet<>();
    ports.forEach(p -> names.add(p.getName() == null ? "(unnamed)" : p.getName()));
    return names.toString();
  }

  private static Endpoint endpoint(io.fabric8.kubernetes.api.model.discovery.v1.Endpoint e, int port, boolean secure) {
    Endpoint.Builder b = Endpoint.builder(e.getAddresses().get(0), port).secure(secure);
    if (e.getZone() != null && !e.getZone().isBlank()) {
      b.zone(e.getZone());
    }
    if (e.getNodeName() != null) {
      b.label("k8s.node", e.getNodeName());
    }
    ObjectReference target = e.getTargetRef();
    if (target != null && "Pod".equals(target.getKind()) && target.getName() != null) {
      b.label("k8s.pod", target.getName());
    }
    return b.build();
  }

  private static final int READY = 0;
  private static final int SERVING_TERMINATING = 1;
  private static final int UNUSED = 2;

  private static int state(@Nullable EndpointConditions conditions) {
    if (conditions == null || !Boolean.FALSE.equals(conditions.getReady())) {
      return READY; // unset means ready
    }
    boolean serving = !Boolean.FALSE.equals(conditions.getServing()); // unset means serving
    boolean terminating = Boolean.TRUE.equals(conditions.getTerminating()); // unset means not
    return serving && terminating ? SERVING_TERMINATING : UNUSED;
  }

  private record Candidate(Endpoint endpoint, int state) {}
}
