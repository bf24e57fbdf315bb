/**
 * Runnable programs to start with. {@link io.meshclient.examples.Demo} runs three local instances
 * of a small HTTP service (healthy, slow, flaky) behind one {@link io.meshclient.core.MeshClient}
 * and prints, once a second, what each endpoint sees and what the mesh does about it.
 *
 * <pre>{@code
 * mvn -B -q -pl examples -am -Pdemo -DskipTests package
 * }</pre>
 */
@NullMarked
package io.meshclient.examples;

import org.jspecify.annotations.NullMarked;
