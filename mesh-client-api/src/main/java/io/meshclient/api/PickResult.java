package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The answer of a {@link LoadBalancer}: an endpoint, or the reason there is none.
 *
 * <pre>{@code
 * return candidate != null ? PickResult.of(candidate) : PickResult.none("every endpoint is excluded");
 * }</pre>
 *
 * <p>Immutable.
 */
public final class PickResult {
  private final @Nullable EndpointStats endpoint;
  private final String reason;

  private PickResult(@Nullable EndpointStats endpoint, String reason) {
    this.endpoint = endpoint;
    this.reason = reason;
  }

  /** A pick of {@code endpoint}. */
  public static PickResult of(EndpointStats endpoint) {
    return new PickResult(requireNonNull(endpoint, "endpoint"), "picked");
  }

  /** No endpoint fits; {@code reason} says why, for errors and logs. */
  public static PickResult none(String reason) {
    return new PickResult(null, requireNonNull(reason, "reason"));
  }

  /** The endpoint picked, or {@code null} for {@link #none}. */
  public @Nullable EndpointStats endpoint() {
    return endpoint;
  }

  /** Whether an endpoint was picked. */
  public boolean hasEndpoint() {
    return endpoint != null;
  }

  /** Why no endpoint was picked, or {@code "picked"}. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return endpoint != null ? "PickResult{" + endpoint.endpoint().id() + "}" : "PickResult{none: " + reason + "}";
  }
}
