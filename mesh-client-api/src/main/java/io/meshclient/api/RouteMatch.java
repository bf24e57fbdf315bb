package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which requests a {@link Route} takes: every condition set must hold. The path (exact, prefix or
 * regular expression), the method (one of a set), headers (each name with a {@link StringMatch}:
 * exact, prefix, regex, present or absent) and query parameters (the same). A match with no
 * condition takes every request.
 *
 * <pre>{@code
 * RouteMatch beta = RouteMatch.builder()
 *     .header("x-user-group", StringMatch.exact("beta"))
 *     .build();
 * RouteMatch writes = RouteMatch.builder()
 *     .path(StringMatch.prefix("/orders/"))
 *     .methods("POST", "PUT")
 *     .queryParameter("dryRun", StringMatch.absent())
 *     .build();
 * }</pre>
 *
 * <p>Header names are matched case-insensitively, as HTTP defines them; with a repeated header the
 * last value counts, with a repeated query parameter the first. The path is the request's encoded
 * path, without the query. Immutable and thread-safe.
 */
public final class RouteMatch {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final RouteMatch ANY = builder().build();

  private final @Nullable StringMatch path;
  private final Set<String> methods;
  private final Map<String, StringMatch> headers;
  private final Map<String, StringMatch> queryParameters;

  private RouteMatch(Builder b) {
    this.path = b.path;
    this.methods = Set.copyOf(b.methods);
    this.headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.queryParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.queryParameters));
  }

  /** The match that takes every request. */
  public static RouteMatch any() {
    return ANY;
  }

  /** A builder with no condition. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this match's conditions. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.path = path;
    b.methods.addAll(methods);
    b.headers.putAll(headers);
    b.queryParameters.putAll(queryParameters);
    return b;
  }

  /** The test on the path, or {@code null} for any path. */
  public @Nullable StringMatch path() {
    return path;
  }

  /** The methods taken, upper case; empty for any method. */
  public Set<String> methods() {
    return methods;
  }

  /** The header tests, by lower-case header name, in the order given. */
  public Map<String, StringMatch> headers() {
    return headers;
  }

  /** The query parameter tests, by parameter name, in the order given. */
  public Map<String, StringMatch> queryParameters() {
    return queryParameters;
  }

  /** Whether this match has no condition and so takes every request. */
  public boolean matchesEverything() {
    return path == null && methods.isEmpty() && headers.isEmpty() && queryParameters.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof RouteMatch)) {
      return false;
    }
    RouteMatch that = (RouteMatch) o;
    return java.util.Objects.equals(path, that.path) && methods.equals(that.methods)
        && headers.equals(that.headers) && queryParameters.equals(that.queryParameters);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(path, methods, headers, queryParameters);
  }

  @Override
  public String toString() {
    if (matchesEverything()) {
      return "RouteMatch{any}";
    }
    StringBuilder s = new StringBuilder("RouteMatch{");
    if (path != null) {
      s.append("path ").append(path).append(", ");
    }
    if (!methods.isEmpty()) {
      s.append("methods=").append(new java.util.TreeSet<>(methods)).append(", ");
    }
    if (!headers.isEmpty()) {
      s.append("headers=").append(headers).append(", ");
    }
    if (!queryParameters.isEmpty()) {
      s.append("query=").append(queryParameters).append(", ");
    }
    s.setLength(s.length() - 2);
    return s.append('}').toString();
  }

  /** Builds a {@link RouteMatch}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private @Nullable StringMatch path;
    private final Set<String> methods = new LinkedHashSet<>();
    private final Map<String, StringMatch> headers = new LinkedHashMap<>();
    private final Map<String, StringMatch> queryParameters = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Takes requests whose path passes {@code path}: exact, prefix or regex.
     *
     * @throws MeshConfigException at {@code path} if the match is {@code present} or {@code absent}
     *     (a request always has a path), or does not start with {@code /} when exact or a prefix
     */
    public Builder path(StringMatch path) {
      requireNonNull(path, "path");
      if (path.kind() == StringMatch.Kind.PRESENT || path.kind() == StringMatch.Kind.ABSENT) {
        throw new MeshConfigException("path", path.toString(), "exact, prefix or regex (every request has a path)");
      }
      if (path.kind() != StringMatch.Kind.REGEX && !path.value().startsWith("/")) {
        throw new MeshConfigException("path." + path.kind().name().toLowerCase(Locale.ROOT), path.value(),
            "a path starting with /");
      }
      this.path = path;
      return this;
    }

    /**
     * Takes requests with one of these methods (case-insensitive; stored upper case). Adds to the
     * methods given before.
     *
     * @throws MeshConfigException at {@code methods} if a method is not an HTTP token
     */
    public Builder methods(String... methods) {
      for (String method : methods) {
        if (method == null || !TOKEN.matcher(method).matches()) {
          throw new MeshConfigException("methods", method, "an HTTP method such as GET or POST");
        }
        this.methods.add(method.toUpperCase(Locale.ROOT));
      }
      return this;
    }

    /**
     * Takes requests whose header {@code name} passes {@code match}; replaces an earlier test of
     * the same header.
     *
     * @throws MeshConfigException at {@code headers} if {@code name} is not a header name
     */
    public Builder header(String name, StringMatch match) {
      requireNonNull(match, "match");
      if (name == null || !TOKEN.matcher(name).matches()) {
        throw new MeshConfigException("headers", name, "an HTTP header name (a token)");
      }
      headers.put(name.toLowerCase(Locale.ROOT), match);
      return this;
    }

    /**
     * Takes requests whose query parameter {@code name} passes {@code match}; replaces an earlier
     * test of the same parameter.
     *
     * @throws MeshConfigException at {@code queryParameters} if {@code name} is empty
     */
    public Builder queryParameter(String name, StringMatch match) {
      requireNonNull(match, "match");
      if (name == null || name.isEmpty()) {
        throw new MeshConfigException("queryParameters", name, "a non-empty parameter name");
      }
      queryParameters.put(name, match);
      return this;
    }

    /** Builds the match; every value was checked when it was set. */
    public RouteMatch build() {
      return new RouteMatch(this);
    }
  }
}
