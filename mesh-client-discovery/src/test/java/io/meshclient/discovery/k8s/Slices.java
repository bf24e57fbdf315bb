package io.meshclient.discovery.k8s;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;

/** EndpointSlices as the EndpointSlice controller writes them, for tests. */
final class Slices {
  private Slices() {}

  static EndpointSlice slice(String name, String service, List<EndpointPort> ports, Endpoint... endpoints) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withName(name).withNamespace("test").addToLabels(SliceReader.SERVICE_LABEL, service).endMetadata()
        .withAddressType("IPv4")
        .withPorts(ports)
        .withEndpoints(endpoints)
        .build();
  }

  static EndpointSlice slice(String name, String service, Endpoint... endpoints) {
    return slice(name, service, List.of(port("http", 8080)), endpoints);
  }

  static EndpointPort port(String name, int port) {
    return new EndpointPortBuilder().withName(name).withPort(port).withProtocol("TCP").build();
  }

  static Endpoint ready(String address) {
    return endpoint(address, true, true, false);
  }

  static Endpoint endpoint(String address, Boolean ready, Boolean serving, Boolean terminating) {
    return new EndpointBuilder().withAddresses(address)
        .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions()
        .build();
  }
}
