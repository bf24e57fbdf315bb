/**
 * Spring Boot auto-configuration for mesh-client: {@code mesh.*} properties
 * ({@link io.meshclient.spring.MeshProperties}) bound onto the mesh configuration model, a
 * {@code MeshClient} bean, a mesh-decorated {@code OkHttpClient}, {@code RestClient} and
 * {@code RestTemplate} wiring, the {@code /actuator/mesh} endpoint and a health indicator. See
 * {@code docs/spring-boot.md}.
 */
@NullMarked
package io.meshclient.spring;

import org.jspecify.annotations.NullMarked;
