/**
 * The configuration model and its file front end: {@link io.meshclient.core.config.MeshConfig}
 * (mesh-wide settings, {@code defaults} and per-service overrides), read from YAML or JSON by
 * {@link io.meshclient.core.config.MeshConfigFile} and kept in step with the file by
 * {@link io.meshclient.core.config.MeshConfigWatcher}. The builder API and the Spring Boot
 * properties fill in the same model.
 */
@NullMarked
package io.meshclient.core.config;

import org.jspecify.annotations.NullMarked;
