package io.meshclient.api;

/**
 * Every attempt the retry policy allowed failed with an I/O error. The last attempt's failure is
 * the {@linkplain #getCause() cause}; the earlier ones are {@linkplain #getSuppressed()
 * suppressed}, in order.
 *
 * <pre>{@code
 * catch (RetriesExhaustedException e) {
 *   log.warn("{} failed {} times", e.service(), e.attempts(), e);
 * }
 * }</pre>
 */
public final class RetriesExhaustedException extends MeshException {
  private final int attempts;

  /** All {@code attempts} attempts to {@code service} failed, the last with {@code lastCause}. */
  public RetriesExhaustedException(String service, int attempts, Throwable lastCause) {
    super(service,
        "all " + attempts + " attempt(s) to service '" + service + "' failed; last: " + lastCause,
        lastCause);
    this.attempts = attempts;
  }

  /** How many attempts were made. */
  public int attempts() {
    return attempts;
  }
}
