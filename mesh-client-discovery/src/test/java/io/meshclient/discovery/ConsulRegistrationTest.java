package io.meshclient.discovery;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.Endpoint;
import io.meshclient.api.ServiceRegistration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration with the Consul agent, checked by the requests WireMock received. */
class ConsulRegistrationTest {
  private static final String REGISTER = "/v1/agent/service/register";
  private static final String PASS = "/v1/agent/check/pass/service:orders-10.0.0.7:8080";
  private static final String DEREGISTER = "/v1/agent/service/deregister/orders-10.0.0.7:8080";
  private static final Endpoint SELF = Endpoint.builder("10.0.0.7", 8080).zone("eu-west-1a").weight(3)
      .label("version", "v2").build();

  private final WireMockServer consul = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
  private ConsulRegistration registry;

  @BeforeEach
  void start() {
    consul.start();
    consul.stubFor(put(urlEqualTo(REGISTER)).willReturn(aResponse().withStatus(200)));
    consul.stubFor(put(urlEqualTo(PASS)).willReturn(aResponse().withStatus(200)));
    consul.stubFor(put(urlEqualTo(DEREGISTER)).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    consul.stop();
  }

  @Test
  void registersWithATtlCheckKeepsItPassingAndDeregistersOnClose() throws IOException {
    registry = ConsulRegistration.builder(agent()).ttl(Duration.ofSeconds(1)).tags(List.of("mesh")).token("s3cr3t").build();
    ServiceRegistration.Registration registration = registry.register("orders", SELF);

    consul.verify(putRequestedFor(urlEqualTo(REGISTER)).withHeader("X-Consul-Token", equalTo("s3cr3t"))
        .withRequestBody(equalToJson("{\"ID\": \"orders-10.0.0.7:8080\", \"Name\": \"orders\", \"Address\": \"10.0.0.7\","
            + " \"Port\": 8080, \"Tags\": [\"mesh\"], \"Meta\": {\"version\": \"v2\", \"zone\": \"eu-west-1a\"},"
            + " \"Weights\": {\"Passing\": 3, \"Warning\": 1},"
            + " \"Check\": {\"CheckID\": \"service:orders-10.0.0.7:8080\", \"Name\": \"${json-unit.any-string}\","
            + " \"TTL\": \"1s\", \"Status\": \"passing\", \"DeregisterCriticalServiceAfter\": \"60s\"}}")));
    await().atMost(Duration.ofSeconds(10)).until(() -> count(PASS) >= 2);

    registration.close();
    registration.close();
    consul.verify(1, putRequestedFor(urlEqualTo(DEREGISTER)));
    int passes = count(PASS);
    registry.close();
    consul.verify(1, putRequestedFor(urlEqualTo(DEREGISTER)));
    assertThat(count(PASS)).as("no TTL update after close").isEqualTo(passes);
  }

  @Test
  void anHttpCheckIsLeftToTheAgentAndClosingTheRegistryDeregistersWhatIsLive() throws IOException {
    registry = ConsulRegistration.builder(agent())
        .httpCheck(HttpUrl.get("http://10.0.0.7:8080/health"), Duration.ofSeconds(5))
        .deregisterCriticalAfter(Duration.ofMinutes(2))
        .build();
    registry.register("orders", SELF);
    consul.verify(putRequestedFor(urlEqualTo(REGISTER)).withRequestBody(equalToJson(
        "{\"Check\": {\"HTTP\": \"http://10.0.0.7:8080/health\", \"Interval\": \"5s\", \"DeregisterCriticalServiceAfter\": \"120s\"}}",
        false, true)));

    registry.close();
    consul.verify(1, putRequestedFor(urlEqualTo(DEREGISTER)));
    assertThat(count(PASS)).isZero();
  }

  @Test
  void anAgentThatForgotTheInstanceGetsItRegisteredAgain() throws IOException {
    consul.stubFor(put(urlEqualTo(PASS)).willReturn(aResponse().withStatus(404).withBody("CheckID does not have associated TTL")));
    registry = ConsulRegistration.builder(agent()).ttl(Duration.ofSeconds(1)).build();
    registry.register("orders", SELF);
    await().atMost(Duration.ofSeconds(10)).until(() -> count(REGISTER) >= 2);
  }

  @Test
  void aRefusedRegistrationFailsWithTheAgentsAnswer() {
    consul.stubFor(put(urlEqualTo(REGISTER)).willReturn(aResponse().withStatus(400).withBody("Invalid check: TTL must be > 0")));
    registry = ConsulRegistration.builder(agent()).build();
    assertThatThrownBy(() -> registry.register("orders", SELF))
        .isInstanceOf(IOException.class)
        .hasMessage("Consul at " + agent() + " refused to register orders-10.0.0.7:8080: HTTP 400 Invalid check: TTL must be > 0");
  }

  private int count(String url) {
    return consul.countRequestsMatching(putRequestedFor(urlEqualTo(url)).build()).getCount();
  }

  private HttpUrl agent() {
    return HttpUrl.get("http://127.0.0.1:" + consul.port() + "/");
  }
}
