/**
 * Spring Boot auto-configuration for mesh-client. Planned here: {@code mesh.*} properties bound
 * onto the mesh configuration model, a {@code MeshClient} bean, RestClient/RestTemplate wiring,
 * an Actuator endpoint and a health indicator. Nothing lives here yet.
 */
@NullMarked
package io.meshclient.spring;

import org.jspecify.annotations.NullMarked;
