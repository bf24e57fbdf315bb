package io.meshclient.spring;

import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestTemplateAutoConfiguration;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.ApplicationContext;
import org.springframework.web.client.RestTemplate;

/** The types tests need that moved between Spring Boot lines; one copy per line. */
final class BootLine {
  private BootLine() {}

  /** Spring Boot's RestClient.Builder and RestTemplateBuilder auto-configuration. */
  static AutoConfigurations httpClients() {
    return AutoConfigurations.of(RestClientAutoConfiguration.class, RestTemplateAutoConfiguration.class);
  }

  /** A RestTemplate from the auto-configured builder. */
  static RestTemplate restTemplate(ApplicationContext context) {
    return context.getBean(RestTemplateBuilder.class).build();
  }

  /** The mesh health indicator's status code, and its details. */
  static String meshHealth(ApplicationContext context, java.util.Map<String, Object> details) {
    Health health = context.getBean("meshHealthIndicator", HealthIndicator.class).health();
    details.putAll(health.getDetails());
    return health.getStatus().getCode();
  }
}
