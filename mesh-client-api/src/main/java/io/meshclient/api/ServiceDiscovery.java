package io.meshclient.api;

/**
 * A source of endpoints: the SPI every registry (static, file, DNS, Consul, Kubernetes) plugs
 * into. The mesh calls {@link #watch} once per service it routes; the source pushes whole
 * {@link EndpointSet} snapshots to the listener whenever they change, from any thread.
 *
 * <pre>{@code
 * ServiceDiscovery.Subscription s = discovery.watch("orders", new ServiceDiscovery.Listener() {
 *   public void onEndpoints(EndpointSet endpoints) { ... }
 *   public void onError(Throwable error) { ... }
 * });
 * s.close(); // stop watching
 * }</pre>
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Push a first snapshot as soon as one is known (a source that knows it at once may push it
 *       before {@code watch} returns).
 *   <li>Push complete sets only; calls to one listener never overlap.
 *   <li>On a registry failure, call {@link Listener#onError} and do <em>not</em> push an empty
 *       set: the mesh keeps the last known good endpoints.
 * </ul>
 * Implementations are thread-safe.
 */
public interface ServiceDiscovery extends AutoCloseable {

  /**
   * Starts watching {@code service}. The returned subscription stops the watch when closed.
   *
   * @throws IllegalArgumentException if this source does not know the service
   */
  Subscription watch(String service, Listener listener);

  /** Releases whatever the source holds (threads, connections). The default does nothing. */
  @Override
  default void close() {}

  /** Receives the snapshots of one watched service. */
  interface Listener {
    /** A new complete set of endpoints for the service. */
    void onEndpoints(EndpointSet endpoints);

    /** The source could not refresh the service; the last set pushed stays in use. */
    default void onError(Throwable error) {}
  }

  /** A running watch; closing it stops the updates. Idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
