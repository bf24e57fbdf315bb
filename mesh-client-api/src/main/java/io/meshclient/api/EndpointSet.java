package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A whole, immutable snapshot of the endpoints that serve one service, as a discovery source
 * reports it. Discovery always pushes complete sets, never deltas, so a receiver can replace what
 * it had. Endpoint ids are unique within a set; order is kept as given.
 *
 * <pre>{@code
 * EndpointSet set = EndpointSet.of(List.of(Endpoint.of("10.0.0.7", 8080), Endpoint.of("10.0.0.8", 8080)));
 * }</pre>
 */
public final class EndpointSet {
  private static final EndpointSet EMPTY = new EndpointSet(List.of());

  private final List<Endpoint> endpoints;

  private EndpointSet(List<Endpoint> endpoints) {
    this.endpoints = endpoints;
  }

  /** The set with no endpoints. */
  public static EndpointSet empty() {
    return EMPTY;
  }

  /**
   * A set of the given endpoints.
   *
   * @throws MeshConfigException if two endpoints share an id
   */
  public static EndpointSet of(List<Endpoint> endpoints) {
    List<Endpoint> copy = List.copyOf(requireNonNull(endpoints, "endpoints"));
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < copy.size(); i++) {
      String id = copy.get(i).id();
      if (!ids.add(id)) {
        throw new MeshConfigException("endpoints[" + i + "].id", id, "an id not used by another endpoint");
      }
    }
    return copy.isEmpty() ? EMPTY : new EndpointSet(copy);
  }

  /** A set of the given endpoints; see {@link #of(List)}. */
  public static EndpointSet of(Endpoint... endpoints) {
    return of(List.of(endpoints));
  }

  /** The endpoints, in the order given. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The number of endpoints. */
  public int size() {
    return endpoints.size();
  }

  /** Whether the set has no endpoint. */
  public boolean isEmpty() {
    return endpoints.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EndpointSet && endpoints.equals(((EndpointSet) o).endpoints);
  }

  @Override
  public int hashCode() {
    return endpoints.hashCode();
  }

  @Override
  public String toString() {
    return "EndpointSet" + endpoints;
  }
}
