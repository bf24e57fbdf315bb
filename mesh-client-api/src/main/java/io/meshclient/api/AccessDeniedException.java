package io.meshclient.api;

/**
 * The mesh's egress access control refused the call before any network I/O: no rule allows this
 * client to call the service (or this method and path of it).
 *
 * <p>Part of the {@link MeshException} family so callers can catch it today; the egress policy
 * that throws it is not built yet, so no call fails with it in this version.
 *
 * <pre>{@code
 * catch (AccessDeniedException e) { log.error("not allowed to call {}: {}", e.service(), e.rule()); }
 * }</pre>
 */
public final class AccessDeniedException extends MeshException {
  private final String rule;

  /** The call to {@code service} was denied by {@code rule} (its name, or {@code default-deny}). */
  public AccessDeniedException(String service, String rule) {
    super(service, "access to service '" + service + "' denied by rule '" + rule + "'", null);
    this.rule = rule;
  }

  /** The name of the rule that denied the call. */
  public String rule() {
    return rule;
  }
}
