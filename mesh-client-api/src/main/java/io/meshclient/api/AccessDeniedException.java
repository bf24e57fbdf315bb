package io.meshclient.api;

/**
 * The mesh's egress access control ({@link EgressPolicy}) refused the call before any network
 * I/O: a deny rule matched it, or no allow rule did and the policy denies by default. The
 * {@linkplain #service() service} is the mesh service called or, for a call to a host that is not
 * a mesh service, that host name. The message names the service and the {@linkplain #rule() rule}
 * only: never the path, query or headers of the request.
 *
 * <pre>{@code
 * catch (AccessDeniedException e) { log.error("not allowed to call {}: {}", e.service(), e.rule()); }
 * }</pre>
 */
public final class AccessDeniedException extends MeshException {
  private final String rule;

  /**
   * The call to {@code service} was denied by {@code rule} (its name, or
   * {@value EgressPolicy#DEFAULT_DENY_RULE}).
   */
  public AccessDeniedException(String service, String rule) {
    super(service, "access to service '" + service + "' denied by rule '" + rule + "'", null);
    this.rule = rule;
  }

  /** The name of the rule that denied the call. */
  public String rule() {
    return rule;
  }
}
