package io.meshclient.discovery.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EndpointJsonTest {
  private static final String KEY = "/mesh/services/orders/a";
  private final EndpointJson codec = new EndpointJson(new ObjectMapper());

  private Endpoint read(String json) {
    return codec.read(KEY, "a", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEveryFieldAndIgnoresUnknownOnes() {
    Endpoint e = read("{\"host\":\"10.0.0.7\",\"port\":8443,\"secure\":true,\"zone\":\"eu-west-1a\",\"weight\":3,"
        + "\"labels\":{\"version\":\"v2\"},\"owner\":\"team-a\"}");
    assertThat(e).isEqualTo(Endpoint.builder("10.0.0.7", 8443).id("a").secure(true).zone("eu-west-1a").weight(3)
        .label("version", "v2").build());
    assertThat(read("{\"host\":\"10.0.0.8\",\"port\":80}")).isEqualTo(Endpoint.builder("10.0.0.8", 80).id("a").build());
  }

  @Test
  void writesWhatItReads() {
    Endpoint full = Endpoint.builder("::1", 9000).id("a").secure(true).zone("z").weight(5).label("subset", "canary").build();
    assertThat(codec.read(KEY, "a", codec.write(full).getBytes(StandardCharsets.UTF_8))).isEqualTo(full);
    assertThat(codec.write(Endpoint.of("10.0.0.7", 8080))).isEqualTo("{\"host\":\"10.0.0.7\",\"port\":8080}");
  }

  @Test
  void malformedValuesNameTheKeyTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> read("{\"host\":\"10.0.0.7\",\"port\":"))
        .isInstanceOf(MeshConfigException.class)
        .hasMessageStartingWith(KEY + ": \"{\"host\":\"10.0.0.7\",\"port\":\" (expected: a JSON object such as")
        .hasMessageContaining("line 1, column");
    assertThatThrownBy(() -> read("[1]")).hasMessageStartingWith(KEY + ": \"[1]\" (expected: a JSON object");
    assertThatThrownBy(() -> read("{\"port\":80}")).hasMessage(KEY + ".host: null (expected: a host name or IP address)");
    assertThatThrownBy(() -> read("{\"host\":\"h\",\"port\":\"80\"}"))
        .hasMessage(KEY + ".port: \"80\" (expected: a whole number 1..65535)");
    assertThatThrownBy(() -> read("{\"host\":\"h\",\"port\":70000}")).hasMessage(KEY + ".port: 70000 (expected: 1..65535)");
    assertThatThrownBy(() -> read("{\"host\":\"h\",\"port\":80,\"weight\":0}")).hasMessage(KEY + ".weight: 0 (expected: 1..1000000)");
    assertThatThrownBy(() -> read("{\"host\":\"h\",\"port\":80,\"secure\":\"yes\"}"))
        .hasMessage(KEY + ".secure: \"yes\" (expected: true or false)");
    assertThatThrownBy(() -> read("{\"host\":\"h\",\"port\":80,\"labels\":{\"v\":2}}"))
        .hasMessage(KEY + ".labels.v: 2 (expected: a string)");
    assertThatThrownBy(() -> read("{\"host\":\"a b\",\"port\":80}"))
        .hasMessage(KEY + ".host: \"a b\" (expected: a host name or IP address)");
  }
}
