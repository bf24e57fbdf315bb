package io.meshclient.discovery.k8s;

import static io.meshclient.discovery.k8s.Slices.endpoint;
import static io.meshclient.discovery.k8s.Slices.port;
import static io.meshclient.discovery.k8s.Slices.ready;
import static io.meshclient.discovery.k8s.Slices.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceReaderTest {

  private static List<String> ids(String portName, EndpointSlice... slices) throws IOException {
    return SliceReader.read("test", "orders", portName, List.of(slices)).endpoints().stream().map(Endpoint::id).toList();
  }

  @Test
  void mergesSlicesAndCountsAnAddressInTwoSlicesOnce() throws Exception {
    assertThat(ids(null,
        slice("orders-a", "orders", ready("10.0.0.2"), ready("10.0.0.1")),
        slice("orders-b", "orders", ready("10.0.0.3"), endpoint("10.0.0.1", false, false, false))))
        .containsExactly("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
  }

  @Test
  void readyEndpointsAreUsedAndTerminatingOnesOnlyWhenNothingIsReady() throws Exception {
    EndpointSlice mixed = slice("s", "orders",
        ready("10.0.0.1"),
        endpoint("10.0.0.2", null, null, null),     // unset: ready
        endpoint("10.0.0.3", false, true, true),    // draining: not while others are ready
        endpoint("10.0.0.4", false, false, false)); // not ready, not serving
    assertThat(ids(null, mixed)).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");

    EndpointSlice rollout = slice("s", "orders",
        endpoint("10.0.0.3", false, true, true),
        endpoint("10.0.0.5", false, null, true),    // serving unset: serving
        endpoint("10.0.0.6", false, false, true),   // terminating, no longer serving
        endpoint("10.0.0.4", false, false, false));
    assertThat(ids(null, rollout)).containsExactly("10.0.0.3:8080", "10.0.0.5:8080");

    assertThat(ids(null, slice("s", "orders", endpoint("10.0.0.4", false, false, false)))).isEmpty();
    assertThat(ids(null, slice("s", "orders"))).isEmpty(); // scaled to zero: a true, empty answer
  }

  @Test
  void theNamedPortOrTheOnlyPortIsUsed() throws Exception {
    EndpointSlice twoPorts = slice("s", "orders", List.of(port("metrics", 9090), port("https", 8443)), ready("10.0.0.1"));
    Endpoint e = SliceReader.read("test", "orders", "https", List.of(twoPorts)).endpoints().get(0);
    assertThat(e.port()).isEqualTo(8443);
    assertThat(e.secure()).isTrue();
    assertThat(ids("metrics", twoPorts)).containsExactly("10.0.0.1:9090");

    assertThatThrownBy(() -> ids(null, twoPorts)).isInstanceOf(MeshConfigException.class)
        .hasMessage("k8s.portName: null (expected: one of [https, metrics]: Service orders has several ports, "
            + "so name one (k8s://ns/orders:name))");
    assertThatThrownBy(() -> ids("grpc", twoPorts))
        .hasMessage("k8s.portName: \"grpc\" (expected: a port of Service orders: [https, metrics])");
  }

  @Test
  void zoneNodeAndPodAreCarriedThrough() throws Exception {
    EndpointSlice s = slice("s", "orders", new EndpointBuilder().withAddresses("10.0.0.1").withZone("eu-west-1a")
        .withNodeName("node-7").withNewTargetRef().withKind("Pod").withName("orders-5d9c").endTargetRef().build());
    Endpoint e = SliceReader.read("test", "orders", null, List.of(s)).endpoints().get(0);
    assertThat(e).isEqualTo(Endpoint.builder("10.0.0.1", 8080).zone("eu-west-1a")
        .label("k8s.node", "node-7").label("k8s.pod", "orders-5d9c").build());
  }

  @Test
  void noSliceAtAllIsAnErrorNotAnEmptySet() {
    assertThatThrownBy(() -> ids(null)).isInstanceOf(IOException.class)
        .hasMessage("no EndpointSlice labelled kubernetes.io/service-name=orders in namespace test "
            + "(is the Service there, with a selector?)");
  }

  @Test
  void anAddressTheMeshCannotUseIsLeftOut() throws Exception {
    assertThat(ids(null, slice("s", "orders", ready("not an address"), ready("10.0.0.1")))).containsExactly("10.0.0.1:8080");
  }
}
