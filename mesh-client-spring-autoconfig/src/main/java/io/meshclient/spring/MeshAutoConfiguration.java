package io.meshclient.spring;

import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshClientBuilder;
import io.meshclient.core.config.MeshConfig;
import io.meshclient.core.deadline.MeshDeadlineFilter;
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
import org.springframework.util.ClassUtils;

/**
 * Auto-configures the mesh from the {@code mesh.*} properties ({@link MeshProperties}): the
 * {@link MeshConfig} model, the {@link MeshClient} (changed by every {@link MeshClientCustomizer}
 * bean), a mesh-decorated {@link OkHttpClient}, customizers that send {@code RestClient} and
 * {@code RestTemplate} requests through the mesh, the mesh's metrics on the application's
 * {@code MeterRegistry} and its traces on the application's {@code OpenTelemetry}, the incoming
 * deadline filter in servlet applications, the {@code /actuator/mesh} endpoint and the {@code mesh}
 * health indicator. Every bean backs off when the application defines its own;
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
   * Hands the application's {@code MeterRegistry} and {@code OpenTelemetry} beans, when there are
   * any, to the mesh: its per-call metrics (with the discovery gauges) and its traces. Each is looked
   * up only when its library is on the class path, so the mesh works without either.
   */
  static void connectObservability(MeshClientBuilder builder, ListableBeanFactory beans) {
    ClassLoader loader = MeshAutoConfiguration.class.getClassLoader();
    if (ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", loader)) {
      MicrometerHook.connect(builder, beans);
    }
    if (ClassUtils.isPresent("io.opentelemetry.api.OpenTelemetry", loader)) {
      OpenTelemetryHook.connect(builder, beans);
    }
  }

  /** Kept apart so that Micrometer's types are loaded only when Micrometer is there. */
  private static final class MicrometerHook {
    static void connect(MeshClientBuilder builder, ListableBeanFactory beans) {
      beans.getBeanProvider(io.micrometer.core.instrument.MeterRegistry.class)
          .ifAvailable(registry -> builder.telemetry(io.meshclient.core.metrics.MeshMetrics.of(registry)));
    }
  }

  /** Kept apart so that OpenTelemetry's types are loaded only when its API is there. */
  private static final class OpenTelemetryHook {
    static void connect(MeshClientBuilder builder, ListableBeanFactory beans) {
      beans.getBeanProvider(io.opentelemetry.api.OpenTelemetry.class)
          .ifAvailable(otel -> builder.telemetry(io.meshclient.core.tracing.MeshTracing.of(otel)));
    }
  }

  /** The mesh's OkHttp client: mesh services through the mesh, every other host as is. */
  @Bean
  @ConditionalOnMissingBean
  public OkHttpClient meshOkHttpClient(MeshClient mesh) {
    return mesh.httpClient();
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
   * The servlet filter that reads a caller's deadline header ({@code mesh.defaults.timeouts.deadline-header})
   * and bounds the mesh calls made while serving the request by it: Spring Boot registers a
   * {@code Filter} bean for every request.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.servlet.Filter")
  static class IncomingDeadlineConfiguration {
    @Bean
    @ConditionalOnMissingBean
    MeshDeadlineFilter meshDeadlineFilter(MeshConfig config) {
      return new MeshDeadlineFilter(config.defaults().timeouts().deadlineHeader());
    }
  }
}
