/**
 * OpenTelemetry traces of the mesh, for applications that have {@code opentelemetry-api} on the
 * class path (an optional dependency): nothing here is loaded otherwise.
 */
@NullMarked
package io.meshclient.core.tracing;

import org.jspecify.annotations.NullMarked;
