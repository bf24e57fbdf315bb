package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where the consistent-hashing balancers ({@code ring_hash}, {@code maglev}) take a request's key
 * from: a header, a cookie, a query parameter or the path. Requests with equal keys go to the
 * same endpoint for as long as it is there; a request without the key goes to a random endpoint.
 *
 * <pre>{@code
 * LoadBalancingPolicy.builder().hashKey(HashKey.header("x-user-id")).build();
 * }</pre>
 *
 * <p>Immutable. A key computed by code instead is set on the core service builder.
 */
public final class HashKey {
  /** The part of the request the key is read from. */
  public enum Source {
    /** A request header, by name (case-insensitive). */
    HEADER,
    /** A cookie, by name. */
    COOKIE,
    /** A query parameter, by name. */
    QUERY_PARAMETER,
    /** The request path. */
    PATH
  }

  private static final HashKey PATH = new HashKey(Source.PATH, "");

  private final Source source;
  private final String name;

  private HashKey(Source source, String name) {
    this.source = source;
    this.name = name;
  }

  /** The value of header {@code name}. */
  public static HashKey header(String name) {
    return named(Source.HEADER, name);
  }

  /** The value of cookie {@code name}. */
  public static HashKey cookie(String name) {
    return named(Source.COOKIE, name);
  }

  /** The value of query parameter {@code name}. */
  public static HashKey queryParameter(String name) {
    return named(Source.QUERY_PARAMETER, name);
  }

  /** The request path. */
  public static HashKey path() {
    return PATH;
  }

  private static HashKey named(Source source, String name) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new MeshConfigException("hashKey." + source.name().toLowerCase(Locale.ROOT), name, "a non-blank name");
    }
    return new HashKey(source, name);
  }

  /** Where the key comes from. */
  public Source source() {
    return source;
  }

  /** The header, cookie or parameter name; empty for {@link Source#PATH}. */
  public String name() {
    return name;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof HashKey && source == ((HashKey) o).source && name.equals(((HashKey) o).name);
  }

  @Override
  public int hashCode() {
    return source.hashCode() * 31 + name.hashCode();
  }

  @Override
  public String toString() {
    return source == Source.PATH ? "path" : source.name().toLowerCase(Locale.ROOT) + ":" + name;
  }
}
