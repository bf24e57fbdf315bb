package io.meshclient.spring;

import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshClientBuilder;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.metrics.DiscoveryMeters;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Auto-configures the mesh from the {@code mesh.*} properties ({@link MeshProperties}): the
 * {@link MeshConfig} model, the {@link MeshClient} (changed by every {@link MeshClientCustomizer}
 * bean), a mesh-decorated {@link OkHttpClient}, customizers that send {@code RestClient} and
 * {@code RestTemplate} requests through the mesh, discovery gauges on the application's
 * {@code MeterRegistry}, the {@code /actuator/mesh} endpoint and the {@code mesh} health
 * indicator. Every bean backs off when the application defines its own;
 * {@code mesh.enabled=false} turns all of it off.
 *
 * <p>What differs between Spring Boot lines (the customizer and health types) lives in
 * {@link MeshHttpClientsConfiguration} and {@link MeshHealthConfiguration}, one copy per line.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration"})
@ConditionalOnProperty(prefix = "mesh", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(MeshProperties.class)
@Import({MeshHttpClientsConfiguration.class, MeshHealthConfiguration.class})
public class MeshAutoConfiguration {
  /** The configuration model the properties describe; fails start-up naming a bad property. */
  @Bean
  @ConditionalOnMissingBean
  public MeshConfig meshConfig(MeshProperties properties) {
    return MeshPropertiesReader.read(properties);
  }

  /** The mesh: the model, then the observability hooks, then every customizer. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public MeshClient meshClient(MeshConfig config, ObjectProvider<MeshClientCustomizer> customizers,
      ListableBeanFactory beans) {
    MeshClientBuilder builder = MeshClient.builder().config(config);
    connectObservability(builder, beans);
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /**
   * THE OBSERVABILITY HOOK: where the application's {@code MeterRegistry} and {@code OpenTelemetry}
   * beans are handed to the mesh builder, once the core builder takes them (per-call metrics and
   * traces). Look them up by type from {@code beans} when their classes are present, e.g.
   * {@code beans.getBeanProvider(MeterRegistry.class).ifAvailable(builder::meterRegistry)}, so the
   * mesh works without Micrometer or OpenTelemetry. Until then the registry is reached through
   * {@link DiscoveryMeters} (a {@code MeterBinder} bean Spring Boot binds to every registry).
   */
  static void connectObservability(MeshClientBuilder builder, ListableBeanFactory beans) {
    // Nothing to connect yet: the core builder has no metrics or tracing methods.
  }

  /** The mesh's OkHttp client: mesh services through the mesh, every other host as is. */
  @Bean
  @ConditionalOnMissingBean
  public OkHttpClient meshOkHttpClient(MeshClient mesh) {
    return mesh.httpClient();
  }

  /** Discovery staleness gauges, bound by Spring Boot to the application's {@code MeterRegistry}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
  static class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    DiscoveryMeters meshDiscoveryMeters(MeshClient mesh) {
      return new DiscoveryMeters(mesh);
    }
  }

  /** The {@code /actuator/mesh} endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    MeshEndpoint meshEndpoint(MeshClient mesh) {
      return new MeshEndpoint(mesh);
    }
  }

  /**
   * THE INCOMING-DEADLINE HOOK: the servlet filter that reads a caller's deadline header and bounds
   * this request's mesh calls by it is registered here (a {@code FilterRegistrationBean}) once the
   * core provides it.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  static class IncomingDeadlineConfiguration {
  }
}
