package io.meshclient.spring;

import io.meshclient.core.MeshClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code mesh} health indicator (Spring Boot 4's health types) over {@link MeshHealth}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
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
