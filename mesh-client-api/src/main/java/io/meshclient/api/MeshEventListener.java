package io.meshclient.api;

/**
 * Hears what the mesh does: every attempt, every change of an endpoint's circuit breaker, and
 * every ejection, readmission and health change.
 * Register one with the mesh builder to feed a dashboard, a test or a log. Every method has an empty default, so a listener overrides only
 * what it needs.
 *
 * <pre>{@code
 * MeshEventListener listener = new MeshEventListener() {
 *   public void onAttemptEnd(AttemptEvent e) {
 *     latencies.get(e.endpoint().id()).record(e.durationNanos());
 *   }
 * };
 * }</pre>
 *
 * <p>Methods are called on the calling thread, on the request path: return quickly and do not
 * block. Called concurrently; implementations must be thread-safe. An exception thrown by a
 * listener is logged and does not change the call.
 */
public interface MeshEventListener {
  /** The listener that ignores every event. */
  MeshEventListener NONE = new MeshEventListener() {};

  /** One attempt ended: response headers arrived, or it failed. */
  default void onAttemptEnd(AttemptEvent event) {}

  /**
   * The circuit breaker of {@code endpoint} moved from state {@code from} to state {@code to}
   * ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}). Called on the thread whose attempt caused
   * the change. A half-open breaker may last only a few milliseconds, so this is the way to see
   * it; a snapshot taken now and then will mostly miss it.
   */
  default void onCircuitStateChange(String service, Endpoint endpoint, String from, String to) {}

  /**
   * Outlier detection took {@code endpoint} out of rotation for {@code duration}, because of
   * {@code reason} (e.g. {@code consecutive_5xx}, {@code success_rate}).
   */
  default void onEjection(String service, Endpoint endpoint, String reason, java.time.Duration duration) {}

  /** An ejected endpoint's time is up: it is back in rotation (ramping up if slow start is on). */
  default void onReadmission(String service, Endpoint endpoint) {}

  /** Active health checks found {@code endpoint} healthy or unhealthy (a change, not every check). */
  default void onHealthChange(String service, Endpoint endpoint, boolean healthy) {}
}
