package io.meshclient.examples.gateway;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/** {@code GET /orders/{id}}: fetched from the {@code orders} service through the mesh. */
@RestController
class GatewayController {
  private final RestClient orders;

  GatewayController(RestClient.Builder builder) {
    // The auto-configured builder sends through the mesh: "orders" is a service name, not a host.
    this.orders = builder.baseUrl("http://orders").build();
  }

  @GetMapping("/orders/{id}")
  String order(@PathVariable("id") String id) {
    return orders.get().uri("/orders/{id}", id).retrieve().body(String.class);
  }
}
