package io.meshclient.discovery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsFileTest {
  private static final JsonFactory YAML = YamlFormat.factory();
  private static final JsonFactory JSON = new JsonFactory();

  @Test
  void readsEveryAttributeOfEveryEndpointOfEveryService() throws Exception {
    Map<String, EndpointSet> services = parse(YAML, String.join("\n",
        "services:",
        "  orders:",
        "    endpoints:",
        "      - host: 10.0.0.7",
        "        port: 8080",
        "        zone: eu-west-1a",
        "        weight: 3",
        "        labels: {version: v2, subset: canary}",
        "      - {host: 10.0.0.8, port: 8443, secure: true, healthy: false, id: orders-b}",
        "  users:",
        "    endpoints: []",
        ""));
    assertThat(services).containsOnlyKeys("orders", "users");
    assertThat(services.get("orders").endpoints()).containsExactly(
        Endpoint.builder("10.0.0.7", 8080).zone("eu-west-1a").weight(3).label("version", "v2").label("subset", "canary").build(),
        Endpoint.builder("10.0.0.8", 8443).secure(true).healthy(false).id("orders-b").build());
    assertThat(services.get("users")).isEqualTo(EndpointSet.empty());
  }

  @Test
  void jsonHasTheSameShape() throws Exception {
    Map<String, EndpointSet> services = parse(JSON,
        "{\"services\": {\"orders\": {\"endpoints\": [{\"host\": \"::1\", \"port\": 9000, \"zone\": \"z1\"}]}}}");
    assertThat(services.get("orders").endpoints()).containsExactly(Endpoint.builder("::1", 9000).zone("z1").build());
  }

  @Test
  void aSyntaxErrorNamesTheFileAndLine() {
    assertThatThrownBy(() -> parse(YAML, "services:\n  orders:\n    endpoints: [\n      {host: a, port: 1\n"))
        .isInstanceOf(EndpointsFile.Invalid.class)
        .hasMessageStartingWith("endpoints.yaml line 4: not valid YAML: while parsing a flow mapping");
    assertThatThrownBy(() -> parse(JSON, "{\"services\": {\n\"orders\": {\"endpoints\": [}}}"))
        .hasMessageStartingWith("endpoints.yaml line 2: not valid JSON: Unexpected close marker '}'");
  }

  @Test
  void aBadValueNamesTheFieldPathTheValueAndWhatWasExpected() {
    String head = "services:\n  orders:\n    endpoints:\n      - host: 10.0.0.7\n";
    assertThatThrownBy(() -> parse(YAML, head + "        port: 70000\n"))
        .hasMessage("endpoints.yaml line 5: services.orders.endpoints[0].port: 70000 (expected: 1..65535)");
    assertThatThrownBy(() -> parse(YAML, head + "        port: \"80\"\n"))
        .hasMessage("endpoints.yaml line 5: services.orders.endpoints[0].port: \"80\" (expected: 1..65535)");
    assertThatThrownBy(() -> parse(YAML, head + "        port: 80\n        weight: 0\n"))
        .hasMessage("endpoints.yaml line 6: services.orders.endpoints[0].weight: 0 (expected: 1..1000000)");
    assertThatThrownBy(() -> parse(YAML, head + "        port: 80\n        healthy: maybe\n"))
        .hasMessage("endpoints.yaml line 6: services.orders.endpoints[0].healthy: \"maybe\" (expected: true or false)");
    assertThatThrownBy(() -> parse(YAML, head + "        port: 80\n        wieght: 2\n"))
        .hasMessage("endpoints.yaml line 6: services.orders.endpoints[0].wieght: 2 "
            + "(expected: one of [host, port, id, zone, weight, healthy, secure, labels])");
    assertThatThrownBy(() -> parse(YAML, head + "        port: 80\n        zone: \" \"\n"))
        .hasMessage("endpoints.yaml line 6: services.orders.endpoints[0].zone: \" \" (expected: a non-blank zone)");
    assertThatThrownBy(() -> parse(YAML, head + "        port: 80\n        labels: {version: [1]}\n"))
        .hasMessage("endpoints.yaml line 6: services.orders.endpoints[0].labels.version: a list (expected: a text value)");
  }

  @Test
  void missingPartsAndSharedIdsAreErrorsToo() {
    assertThatThrownBy(() -> parse(YAML, "services:\n  orders:\n    endpoints:\n      - port: 80\n"))
        .hasMessage("endpoints.yaml line 4: services.orders.endpoints[0].host: missing (expected: a host name or IP address)");
    assertThatThrownBy(() -> parse(YAML, "services:\n  orders:\n    endpoints:\n      - {host: a, port: 1}\n      - {host: a, port: 1}\n"))
        .hasMessage("endpoints.yaml line 5: services.orders.endpoints[1].id: \"a:1\" (expected: an id not used by another endpoint)");
    assertThatThrownBy(() -> parse(YAML, "services:\n  orders: {}\n"))
        .hasMessage("endpoints.yaml line 2: services.orders.endpoints: null (expected: a list of endpoints (empty if there are none))");
    assertThatThrownBy(() -> parse(YAML, "servces: {}\n"))
        .hasMessage("endpoints.yaml line 1: servces: a map (expected: only 'services' at the top level)");
    assertThatThrownBy(() -> parse(YAML, ""))
        .hasMessage("endpoints.yaml line 1: the file is empty (expected: a map with a 'services' entry)");
  }

  private static Map<String, EndpointSet> parse(JsonFactory format, String content) throws EndpointsFile.Invalid {
    return EndpointsFile.parse(content.getBytes(StandardCharsets.UTF_8), format, "endpoints.yaml");
  }
}
