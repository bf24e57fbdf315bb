/**
 * Micrometer meters of the mesh, for applications that have Micrometer on the class path (an
 * optional dependency): nothing here is loaded otherwise.
 */
@NullMarked
package io.meshclient.core.metrics;

import org.jspecify.annotations.NullMarked;
