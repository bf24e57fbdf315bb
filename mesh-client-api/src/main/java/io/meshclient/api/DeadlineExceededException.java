package io.meshclient.api;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The call's overall timeout ran out, before or during an attempt. The cause, if any, is the
 * failure of the attempt the deadline cut short.
 *
 * <pre>{@code
 * catch (DeadlineExceededException e) { log.info("{} took over {}", e.service(), e.timeout()); }
 * }</pre>
 */
public final class DeadlineExceededException extends MeshException {
  private final Duration timeout;
  private final int attempts;

  /** The call to {@code service} did not finish within {@code timeout} after {@code attempts} attempts. */
  public DeadlineExceededException(String service, Duration timeout, int attempts, @Nullable Throwable cause) {
    super(service,
        "deadline of " + timeout.toMillis() + " ms exceeded for service '" + service + "' after "
            + attempts + " attempt(s)",
        cause);
    this.timeout = timeout;
    this.attempts = attempts;
  }

  /** The deadline that ran out, measured from the start of the call. */
  public Duration timeout() {
    return timeout;
  }

  /** How many attempts were started. */
  public int attempts() {
    return attempts;
  }
}
