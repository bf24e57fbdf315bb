package io.meshclient.api;

/**
 * Creates the {@link LoadBalancer} of one service; the named, pluggable half of the balancer SPI.
 *
 * <p>Factories are found through {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.meshclient.api.LoadBalancerFactory} (it needs a public no-argument
 * constructor) and select it by {@link #name()} in a service's policy. Built in:
 * {@code peak_ewma}, {@code least_request}, {@code round_robin}, {@code random}, {@code ring_hash}
 * and {@code maglev}.
 *
 * <pre>{@code
 * public final class FirstAvailableFactory implements LoadBalancerFactory {
 *   public String name() { return "first_available"; }
 *   public LoadBalancer create(String service, LoadBalancingPolicy settings) { return new FirstAvailable(); }
 * }
 * }</pre>
 *
 * <p>Implementations are stateless and thread-safe; state belongs to the balancers they create.
 */
public interface LoadBalancerFactory {
  /** The policy name that selects this factory, in lower snake case, e.g. {@code round_robin}. */
  String name();

  /**
   * A new balancer for {@code service}, with the service's balancing settings. Called once per
   * service when the mesh is built.
   */
  LoadBalancer create(String service, LoadBalancingPolicy settings);
}
