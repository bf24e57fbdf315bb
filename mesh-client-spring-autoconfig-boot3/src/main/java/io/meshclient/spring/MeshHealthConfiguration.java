package io.meshclient.spring;

import io.meshclient.core.MeshClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code mesh} health indicator (Spring Boot 3.5's health types) over {@link MeshHealth}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnEnabledHealthIndicator("mesh")
class MeshHealthConfiguration {
  @Bean
  @ConditionalOnMissingBean(name = "meshHealthIndicator")
  HealthIndicator meshHealthIndicator(MeshClient mesh, MeshProperties properties) {
    MeshHealth health = new MeshHealth(mesh, properties.getHealth().getStatusWithoutEndpoints());
    return () -> {
      MeshHealth.Report report = health.report();
      return Health.status(new Status(report.status())).withDetails(report.details()).build();
    };
  }
}
