package io.meshclient.api;

/**
 * The service's bulkhead was full: as many calls as it admits were already in flight, so this one
 * was refused without touching the network.
 *
 * <pre>{@code
 * catch (BulkheadFullException e) { return serviceUnavailable(); }
 * }</pre>
 */
public final class BulkheadFullException extends MeshException {
  private final int maxConcurrentCalls;

  /** A call to {@code service} was refused: {@code maxConcurrentCalls} were in flight. */
  public BulkheadFullException(String service, int maxConcurrentCalls) {
    super(service, "call to service '" + service + "' refused by its bulkhead: " + maxConcurrentCalls
        + " call(s) already in flight", null);
    this.maxConcurrentCalls = maxConcurrentCalls;
  }

  /** The bulkhead's size. */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }
}
