package io.meshclient.examples.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The gateway: a web application whose only mesh code is none at all. The mesh comes from
 * {@code mesh-client-spring-autoconfig} and the {@code mesh.*} section of {@code application.yaml};
 * {@link GatewayController} calls {@code http://orders/...} with an ordinary {@code RestClient}.
 */
@SpringBootApplication
public class GatewayApplication {
  /** Starts the gateway (port 8080 unless {@code --server.port} says otherwise). */
  public static void main(String[] args) {
    SpringApplication.run(GatewayApplication.class, args);
  }
}
