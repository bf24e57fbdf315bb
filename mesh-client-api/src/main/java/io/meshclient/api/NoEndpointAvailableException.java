package io.meshclient.api;

import org.jspecify.annotations.Nullable;

/**
 * No endpoint could take the call: discovery reports none for the service, or the load balancer
 * found none it may use. Thrown before any network I/O for the attempt.
 *
 * <pre>{@code
 * catch (NoEndpointAvailableException e) { log.warn("{} has no endpoint: {}", e.service(), e.getMessage()); }
 * }</pre>
 */
public class NoEndpointAvailableException extends MeshException {
  /** No endpoint of {@code service} can take the call, for the reason given. */
  public NoEndpointAvailableException(String service, String reason) {
    super(service, "no endpoint available for service '" + service + "': " + reason, null);
  }

  /** For subclasses that word their own message. */
  protected NoEndpointAvailableException(String service, String message, @Nullable Throwable cause) {
    super(service, message, cause);
  }
}
