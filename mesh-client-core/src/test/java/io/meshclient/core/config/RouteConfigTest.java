package io.meshclient.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.Destination;
import io.meshclient.api.FaultPolicy;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MirrorPolicy;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.Route;
import io.meshclient.api.RouteMatch;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.StringMatch;
import io.meshclient.api.TimeoutPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes in a configuration file: the two examples of docs/traffic.md read into the same routes the builder makes. */
class RouteConfigTest {
  static final String YAML = String.join("\n",
      "services:",
      "  order-service:",
      "    endpoints:",
      "      - {host: 10.0.0.1, port: 8080, labels: {version: v1}}",
      "      - {host: 10.0.0.2, port: 8080, labels: {version: v2}}",
      "    routes:",
      "      - name: beta",
      "        match:",
      "          headers:",
      "            x-user-group: { exact: beta }",
      "        destinations:",
      "          - subset: { version: v2 }",
      "      - name: default",
      "        destinations:",
      "          - { subset: { version: v1 }, weight: 90 }",
      "          - { subset: { version: v2 }, weight: 10 }",
      "        timeouts: { timeout: 10s, perTryTimeout: 2s }",
      "        retry: { maxAttempts: 4 }",
      "");

  @Test
  void theDocumentedExamplesReadIntoTheBuildersRoutes() {
    MeshConfig config = MeshConfigFile.parseYaml(YAML);

    List<Route> expected = List.of(
        Route.builder("beta")
            .match(RouteMatch.builder().header("x-user-group", StringMatch.exact("beta")).build())
            .destination(Destination.subset("version", "v2"))
            .build(),
        Route.builder("default")
            .destination(Destination.builder().subset("version", "v1").weight(90).build())
            .destination(Destination.builder().subset("version", "v2").weight(10).build())
            .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(10)).perTryTimeout(Duration.ofSeconds(2)).build())
            .retry(RetryPolicy.builder().maxAttempts(4).build())
            .build());
    assertThat(config.services().get("order-service").policy().routes()).isEqualTo(expected);
  }

  @Test
  void faultsMirrorsRewritesAndMatchesReadTheirFields() {
    MeshConfig config = MeshConfigFile.parseYaml(String.join("\n",
        "services:",
        "  orders:",
        "    endpoints: [{host: 10.0.0.1, port: 8080, labels: {version: v1}}]",
        "    routes:",
        "      - name: chaos",
        "        match: {path: {prefix: /api/}, methods: [GET], queryParameters: {dryRun: {present: true}}}",
        "        rewritePathPrefix: /v2/",
        "        rewriteAuthority: orders.internal",
        "        setHeaders: {x-env: test}",
        "        removeHeaders: [x-debug]",
        "        fault: {delay: 50ms, delayPercent: 25, abortHttpStatus: 503, abortPercent: 10, headerName: x-chaos,"
            + " headerMatch: {exact: 'on'}}",
        "        mirror: {destination: {subset: {version: v1}}, percent: 5, maxConcurrent: 8}",
        ""));

    Route route = config.services().get("orders").policy().routes().get(0);
    assertThat(route).isEqualTo(Route.builder("chaos")
        .match(RouteMatch.builder().path(StringMatch.prefix("/api/")).methods("GET")
            .queryParameter("dryRun", StringMatch.present()).build())
        .rewritePathPrefix("/v2/")
        .rewriteAuthority("orders.internal")
        .setHeader("x-env", "test")
        .removeHeader("x-debug")
        .fault(FaultPolicy.builder().delay(Duration.ofMillis(50)).delayPercent(25).abortHttpStatus(503).abortPercent(10)
            .onlyWithHeader("x-chaos", StringMatch.exact("on")).build())
        .mirror(MirrorPolicy.builder().destination(Destination.subset("version", "v1")).percent(5).maxConcurrent(8).build())
        .build());
  }

  @Test
  void fallbackHedgingAndAConnectionErrorAbortReadTheirFields() {
    MeshConfig config = MeshConfigFile.parseYaml(String.join("\n",
        "services:",
        "  orders:",
        "    endpoints: [{host: 10.0.0.1, port: 8080, labels: {version: v1}}]",
        "    routes:",
        "      - name: v3",
        "        destinations: [{subset: {version: v3}}]",
        "        fallback: {service: orders, subset: {version: v1}}",
        "        hedging: {maxHedges: 2, delay: 50ms}",
        "        fault: {abortConnectionError: true, abortPercent: 5}",
        ""));

    ServicePolicy service = config.services().get("orders").policy();
    Route route = service.routes().get(0);
    assertThat(route.fallback()).isEqualTo(Destination.builder().service("orders").subset("version", "v1").build());
    assertThat(route.hedging()).isEqualTo(service.hedging().toBuilder()
        .maxHedges(2).delay(Duration.ofMillis(50)).build());
    assertThat(route.fault()).isEqualTo(FaultPolicy.builder().abortConnectionError(true).abortPercent(5).build());
    assertThat(route.fault().abortConnectionError()).isTrue();
  }

  @Test
  void aBadRouteNamesItsPlaceInTheFile() {
    assertThatThrownBy(() -> MeshConfigFile.parseYaml(String.join("\n",
        "services:",
        "  orders:",
        "    routes:",
        "      - name: broken",
        "        match: {path: {regex: '('}}",
        "")))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("services.orders.routes[0].match.path");
    assertThatThrownBy(() -> MeshConfigFile.parseYaml(String.join("\n",
        "services:",
        "  orders:",
        "    routes:",
        "      - {name: two, match: {headers: {x-a: {exact: a, prefix: b}}}}",
        "")))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageContaining("services.orders.routes[0].match.headers.x-a")
        .hasMessageContaining("exactly one of exact, prefix, regex, present or absent");
    assertThatThrownBy(() -> MeshConfigFile.parseYaml(String.join("\n",
        "services:",
        "  orders:",
        "    routes:",
        "      - {name: w, destinations: [{subset: {version: v1}, weight: -1}]}",
        "")))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("services.orders.routes[0].destinations[0].weight: -1");
    assertThatThrownBy(() -> MeshConfigFile.parseYaml(String.join("\n",
        "services:",
        "  orders:",
        "    routes:",
        "      - {name: canary, destinations: [{subset: {version: v1}, weight: 2000000000},"
            + " {subset: {version: v2}, weight: 2000000000}]}",
        "")))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("services.orders.routes[0].destinations: \"route 'canary': weights "
            + "[2000000000, 2000000000] adding up to 4000000000\" (expected: weights adding up to at most 2147483647");
    assertThatThrownBy(() -> MeshConfigFile.parseYaml(String.join("\n",
        "services:",
        "  orders:",
        "    routes:",
        "      - {name: dark, destinations: [{subset: {version: v1}, weight: 0}]}",
        "")))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith("services.orders.routes[0].destinations: \"1 destination(s) of weight 0\"");
  }
}
