package io.meshclient.spring;

import io.meshclient.core.MeshClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.client.RestClientCustomizer;
import org.springframework.boot.web.client.RestTemplateCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sends the application's {@code RestClient} and {@code RestTemplate} requests through the mesh
 * (Spring Boot 3.5's customizer types): each customizer installs a {@link MeshClientHttpRequestFactory} on
 * the mesh's OkHttp client.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.web.client.RestClientCustomizer")
class MeshHttpClientsConfiguration {
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
  static class RestClientConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "meshRestClientCustomizer")
    RestClientCustomizer meshRestClientCustomizer(MeshClient mesh) {
      return builder -> builder.requestFactory(new MeshClientHttpRequestFactory(mesh.httpClient()));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.web.client.RestTemplate")
  static class RestTemplateConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "meshRestTemplateCustomizer")
    RestTemplateCustomizer meshRestTemplateCustomizer(MeshClient mesh) {
      return template -> template.setRequestFactory(new MeshClientHttpRequestFactory(mesh.httpClient()));
    }
  }
}
