package io.meshclient.core.internal.admin;

import io.meshclient.api.Endpoint;
import io.meshclient.core.MeshSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link MeshSnapshot} as JSON without a JSON library: the admin server's
 * {@code /clusters}. Field names are the record components' (as Jackson writes them); durations are
 * seconds, instants ISO-8601 text, and an endpoint also has its {@code address}.
 *
 * <pre>{@code
 * String json = SnapshotJson.write(mesh.snapshot());
 * }</pre>
 */
public final class SnapshotJson {
  private final StringBuilder out = new StringBuilder(4096);

  private SnapshotJson() {}

  /** {@code snapshot} as a JSON object. */
  public static String write(MeshSnapshot snapshot) {
    SnapshotJson json = new SnapshotJson();
    json.snapshot(snapshot);
    return json.out.toString();
  }

  private void snapshot(MeshSnapshot s) {
    out.append("{\"services\":[");
    for (int i = 0; i < s.services().size(); i++) {
      comma(i);
      service(s.services().get(i));
    }
    out.append("],\"egress\":{");
    field("denied").append(s.egress().denied()).append(',');
    field("deniedByRule").append('{');
    int i = 0;
    for (Map.Entry<String, Long> e : s.egress().deniedByRule().entrySet()) {
      comma(i++);
      field(e.getKey()).append(e.getValue());
    }
    out.append("}}}");
  }

  private void service(MeshSnapshot.ServiceSnapshot s) {
    out.append('{');
    field("name");
    string(s.name()).append(',');
    field("loadBalancer");
    string(s.loadBalancer()).append(',');
    field("panic").append(s.panic()).append(',');
    field("crossZoneShare");
    number(s.crossZoneShare()).append(',');
    field("discovery");
    discovery(s.discovery());
    out.append(',');
    field("retriesOverBudget").append(s.retriesOverBudget()).append(',');
    field("serviceCircuitState");
    string(s.serviceCircuitState()).append(',');
    field("mirrorsDropped").append(s.mirrorsDropped()).append(',');
    field("endpoints").append('[');
    for (int i = 0; i < s.endpoints().size(); i++) {
      comma(i);
      endpoint(s.endpoints().get(i));
    }
    out.append("],");
    field("decisions").append('[');
    for (int i = 0; i < s.decisions().size(); i++) {
      comma(i);
      decision(s.decisions().get(i));
    }
    out.append("]}");
  }

  private void discovery(MeshSnapshot.DiscoverySnapshot d) {
    out.append('{');
    field("source");
    string(d.source()).append(',');
    field("lastUpdate");
    instant(d.lastUpdate()).append(',');
    field("failingSince");
    instant(d.failingSince()).append(',');
    field("staleFor");
    duration(d.staleFor()).append(',');
    field("error");
    string(d.error()).append('}');
  }

  private void endpoint(MeshSnapshot.EndpointSnapshot e) {
    out.append('{');
    field("endpoint");
    endpoint(e.endpoint());
    out.append(',');
    field("inFlight").append(e.inFlight()).append(',');
    field("requests").append(e.requests()).append(',');
    field("failures").append(e.failures()).append(',');
    field("circuitState");
    string(e.circuitState()).append(',');
    field("weight");
    number(e.weight()).append(',');
    field("rampingUp").append(e.rampingUp()).append(',');
    field("latencyMillis");
    number(e.latencyMillis()).append(',');
    field("score");
    number(e.score()).append(',');
    field("penalized").append(e.penalized()).append(',');
    field("healthy").append(e.healthy()).append(',');
    field("ejectedFor");
    duration(e.ejectedFor()).append(',');
    field("concurrencyLimit").append(e.concurrencyLimit()).append('}');
  }

  private void endpoint(Endpoint e) {
    out.append('{');
    field("id");
    string(e.id()).append(',');
    field("address");
    string(e.address()).append(',');
    field("host");
    string(e.host()).append(',');
    field("port").append(e.port()).append(',');
    field("secure").append(e.secure()).append(',');
    field("zone");
    string(e.zone()).append(',');
    field("weight").append(e.weight()).append(',');
    field("healthy").append(e.healthy()).append(',');
    field("labels").append('{');
    int i = 0;
    for (Map.Entry<String, String> label : e.labels().entrySet()) {
      comma(i++);
      field(label.getKey());
      string(label.getValue());
    }
    out.append("}}");
  }

  private void decision(MeshSnapshot.Decision d) {
    out.append('{');
    field("at");
    instant(d.at()).append(',');
    field("attempt").append(d.attempt()).append(',');
    field("hedge").append(d.hedge()).append(',');
    field("chosen");
    string(d.chosen()).append(',');
    field("considered").append(d.considered()).append(',');
    field("candidates").append('[');
    for (int i = 0; i < d.candidates().size(); i++) {
      comma(i);
      MeshSnapshot.Candidate c = d.candidates().get(i);
      out.append('{');
      field("endpoint");
      string(c.endpoint()).append(',');
      field("score");
      number(c.score()).append(',');
      field("verdict");
      string(c.verdict()).append('}');
    }
    out.append("]}");
  }

  private void comma(int index) {
    if (index > 0) {
      out.append(',');
    }
  }

  private StringBuilder field(String name) {
    string(name);
    return out.append(':');
  }

  private StringBuilder number(double value) {
    return Double.isFinite(value) ? out.append(value) : out.append("null");
  }

  private StringBuilder duration(Duration d) {
    return number(d.toNanos() / 1e9);
  }

  private StringBuilder instant(@Nullable Instant instant) {
    return instant == null ? out.append("null") : string(instant.toString());
  }

  private StringBuilder string(@Nullable String s) {
    if (s == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c)); // also safe to embed in HTML
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
