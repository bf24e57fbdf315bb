package io.meshclient.spring;

import io.meshclient.core.MeshClientBuilder;

/**
 * Changes the builder of the auto-configured {@code MeshClient} before it is built, after the
 * {@code mesh.*} properties were applied: for what properties cannot say (a discovery object, a
 * load balancer instance, an event listener, a transport client).
 *
 * <pre>{@code
 * @Bean
 * MeshClientCustomizer meshEvents(MyListener listener) {
 *   return builder -> builder.eventListener(listener);
 * }
 * }</pre>
 *
 * <p>Every such bean is called, in {@code @Order}, on the one builder.
 */
@FunctionalInterface
public interface MeshClientCustomizer {
  /** Changes {@code builder}; the mesh is built after every customizer ran. */
  void customize(MeshClientBuilder builder);
}
