package io.meshclient.benchmarks.peers;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Spring Cloud LoadBalancer with Resilience4j, set up as the Spring Cloud documentation shows: a
 * Spring Boot application whose {@code @LoadBalanced RestClient.Builder} resolves {@code backend}
 * through the simple discovery client (the four instances in properties) and balances round robin
 * (the default), with Spring Retry on the class path so a failed call is retried on the next
 * instance (the default: 0 retries on the same instance, 1 on the next), Caffeine as the instance
 * cache (as the docs advise for production), and every call run through Spring Cloud CircuitBreaker's
 * Resilience4j circuit breaker with its defaults and a 10 s time limiter (the mesh's default
 * deadline).
 *
 * <p>The RestClient's HTTP client is Apache HttpClient 5, the one Spring picks first when present
 * and the usual production choice (the JDK's {@code HttpClient}, Spring's fallback, cost several times
 * the CPU per call when tried here), with its connection pool widened from 5 connections per backend
 * to {@value #MAX_CONNECTIONS}, as roomy as the OkHttp contenders': with 5, the slow backend's
 * connections run out and calls queue for them, which would measure the pool rather than the
 * balancing. The time limiter runs each call on the circuit breaker factory's executor, as Spring
 * Cloud does by default. One setting departs from what this class path would otherwise give: the
 * Resilience4j bulkhead is off, because {@code resilience4j-bulkhead} is here only as mesh-client's
 * dependency, and Spring Cloud would otherwise wrap every call in a thread-pool bulkhead of one
 * thread per core.
 */
final class SpringContender implements Contender {
  /** The connection pool's bound, per backend and in all: as roomy as the OkHttp contenders' pool. */
  private static final int MAX_CONNECTIONS = 256;

  private final ConfigurableApplicationContext context;
  private final RestClient client;
  private final CircuitBreaker breaker;
  private final int backends;

  SpringContender(List<Integer> ports) {
    SpringApplication application = new SpringApplication(Application.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
    application.setLogStartupInfo(false);
    application.setDefaultProperties(properties(ports));
    this.context = application.run();
    this.client = context.getBean(RestClient.Builder.class).build();
    this.breaker = context.getBean(CircuitBreakerFactory.class).create(MeshContender.SERVICE);
    this.backends = ports.size();
  }

  /** The application's properties: the instances, and logging kept to warnings. */
  static Map<String, Object> properties(List<Integer> ports) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (int i = 0; i < ports.size(); i++) {
      properties.put("spring.cloud.discovery.client.simple.instances." + MeshContender.SERVICE + "[" + i + "].uri",
          "http://127.0.0.1:" + ports.get(i));
    }
    properties.put("spring.cloud.circuitbreaker.bulkhead.resilience4j.enabled", "false");
    properties.put("logging.level.root", "WARN");
    return properties;
  }

  @Override
  public String name() {
    return "spring";
  }

  @Override
  public int call() throws IOException {
    ResponseEntity<byte[]> response = breaker.run(() -> client.get()
        .uri("http://" + MeshContender.SERVICE + "/")
        .retrieve()
        .toEntity(byte[].class));
    int backend = Contender.backend(response.getStatusCode().value(),
        response.getHeaders().getFirst(Backend.HEADER), backends);
    Contender.checkBody(response.getBody());
    return backend;
  }

  @Override
  public void close() {
    context.close();
  }

  /** The application: the documented {@code @LoadBalanced} builder and circuit breaker defaults. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class Application {
    @Bean
    @LoadBalanced
    RestClient.Builder loadBalancedRestClientBuilder() {
      return RestClient.builder().requestFactory(new HttpComponentsClientHttpRequestFactory(HttpClients.custom()
          .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
              .setMaxConnPerRoute(MAX_CONNECTIONS)
              .setMaxConnTotal(MAX_CONNECTIONS)
              .build())
          .build()));
    }

    @Bean
    Customizer<Resilience4JCircuitBreakerFactory> defaultCustomizer() {
      return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
          .timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(CALL_TIMEOUT).build())
          .circuitBreakerConfig(CircuitBreakerConfig.ofDefaults())
          .build());
    }
  }
}
