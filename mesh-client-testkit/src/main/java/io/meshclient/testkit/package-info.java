/**
 * A deterministic simulation kit for a service's load balancing and endpoint health: simulated
 * backends ({@link io.meshclient.testkit.Behaviour}: steady, slow, brownout, cold start, dead,
 * and switches between them in time), an open-loop request stream, and the mesh's real load
 * balancers, outlier detection, slow start, zones, panic mode and circuit breakers, all driven in
 * virtual time from one seed. Use it to try settings before deploying them, and to test that a
 * policy does what you expect.
 *
 * <pre>{@code
 * SimulationResult result = Simulation.builder()
 *     .seed(42)
 *     .loadBalancer("peak_ewma")
 *     .backend("a", Behaviour.steady(Duration.ofMillis(10)))
 *     .backend("b", Behaviour.steady(Duration.ofMillis(10)))
 *     .backend("slow", Behaviour.steady(Duration.ofMillis(100)))
 *     .rate(1000)
 *     .duration(Duration.ofSeconds(30))
 *     .build()
 *     .run();
 * System.out.println(result);
 * }</pre>
 *
 * <p>Entry point: {@link io.meshclient.testkit.Simulation#builder()}; results in
 * {@link io.meshclient.testkit.SimulationResult}.
 */
@NullMarked
package io.meshclient.testkit;

import org.jspecify.annotations.NullMarked;
