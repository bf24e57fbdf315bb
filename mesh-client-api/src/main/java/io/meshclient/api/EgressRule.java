package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One rule of an {@link EgressPolicy}: allow or deny calls to some services, optionally only for
 * some methods and paths. A rule matches a call when the service, the method (if any are listed)
 * and the path (if any are listed) all match.
 *
 * <pre>{@code
 * EgressRule.deny("payments").name("no-payments").build()
 * EgressRule.allow("orders").methods("GET", "HEAD").paths("/orders/**").build()
 * EgressRule.allow("*.googleapis.com").build()       // a host that is not a mesh service
 * }</pre>
 *
 * <p>Services are mesh service names or, for calls to hosts that are not mesh services, host
 * names; {@code *} matches any run of characters ({@code *} alone: every service). Paths match the
 * request's encoded path: {@code *} stays within one segment, {@code **} matches anything, e.g.
 * {@code /orders/*} matches {@code /orders/42} but not {@code /orders/42/items}. Methods are
 * compared in upper case.
 *
 * <p>Immutable and thread-safe.
 */
public final class EgressRule {
  /** What a matching rule does with the call. */
  public enum Action {
    /** The call goes on. */
    ALLOW,
    /** The call fails with {@link AccessDeniedException} before any network I/O. */
    DENY
  }

  private static final Pattern SERVICE = Pattern.compile("[a-z0-9*:]([a-z0-9*.:-]*[a-z0-9*])?");
  private static final Pattern METHOD = Pattern.compile("[A-Z]+");
  private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");
  private static final Pattern NAME = Pattern.compile("[\\x21-\\x7e]([\\x20-\\x7e]*[\\x21-\\x7e])?");

  private final String name;
  private final Action action;
  private final List<String> services;
  private final List<String> methods;
  private final List<String> paths;
  private final List<Pattern> servicePatterns;
  private final List<Pattern> pathPatterns;

  private EgressRule(Builder b) {
    this.action = b.action;
    this.services = List.copyOf(b.services);
    this.methods = List.copyOf(b.methods);
    this.paths = List.copyOf(b.paths);
    this.name = b.name != null ? b.name : action.name().toLowerCase(Locale.ROOT) + ":" + String.join(",", services);
    List<Pattern> s = new ArrayList<>();
    services.forEach(service -> s.add(glob(service, ".*", ".*")));
    this.servicePatterns = List.copyOf(s);
    List<Pattern> p = new ArrayList<>();
    paths.forEach(path -> p.add(glob(path, "[^/]*", ".*")));
    this.pathPatterns = List.copyOf(p);
  }

  /** A rule allowing calls to {@code services} (at least one). */
  public static Builder allow(String... services) {
    return new Builder(Action.ALLOW, List.of(services));
  }

  /** A rule denying calls to {@code services} (at least one). */
  public static Builder deny(String... services) {
    return new Builder(Action.DENY, List.of(services));
  }

  /** The rule's name, used in errors, logs and counters; {@code deny:payments} unless one was set. */
  public String name() {
    return name;
  }

  /** Whether the rule allows or denies. */
  public Action action() {
    return action;
  }

  /** The services (or host names of calls outside the mesh) the rule applies to, in lower case. */
  public List<String> services() {
    return services;
  }

  /** The methods the rule applies to; empty for every method. */
  public List<String> methods() {
    return methods;
  }

  /** The path patterns the rule applies to; empty for every path. */
  public List<String> paths() {
    return paths;
  }

  /**
   * Whether the rule applies to a call.
   *
   * @param service the mesh service, or the host of a call outside the mesh (lower case)
   * @param method the HTTP method
   * @param encodedPath the request's encoded path, starting with {@code /}
   */
  public boolean matches(String service, String method, String encodedPath) {
    if (!methods.isEmpty() && !methods.contains(method)) {
      return false;
    }
    if (!anyMatches(servicePatterns, service)) {
      return false;
    }
    return pathPatterns.isEmpty() || anyMatches(pathPatterns, encodedPath);
  }

  private static boolean anyMatches(List<Pattern> patterns, String value) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Compiles a glob: {@code **} becomes {@code doubleStar}, {@code *} becomes {@code star}. */
  private static Pattern glob(String glob, String star, String doubleStar) {
    StringBuilder regex = new StringBuilder();
    int from = 0;
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) == '*') {
        regex.append(Pattern.quote(glob.substring(from, i)));
        boolean twice = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
        regex.append(twice ? doubleStar : star);
        i += twice ? 1 : 0;
        from = i + 1;
      }
    }
    regex.append(Pattern.quote(glob.substring(from)));
    return Pattern.compile(regex.toString());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof EgressRule)) {
      return false;
    }
    EgressRule that = (EgressRule) o;
    return name.equals(that.name) && action == that.action && services.equals(that.services)
        && methods.equals(that.methods) && paths.equals(that.paths);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, action, services, methods, paths);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("EgressRule{").append(name).append(", ").append(action)
        .append(' ').append(services);
    if (!methods.isEmpty()) {
      s.append(", methods=").append(methods);
    }
    if (!paths.isEmpty()) {
      s.append(", paths=").append(paths);
    }
    return s.append('}').toString();
  }

  /**
   * Builds an {@link EgressRule}; {@link #build()} checks the values and throws
   * {@link MeshConfigException} naming the first bad one. Not thread-safe.
   */
  public static final class Builder {
    private final Action action;
    private final List<String> services = new ArrayList<>();
    private final List<String> methods = new ArrayList<>();
    private final List<String> paths = new ArrayList<>();
    private @Nullable String name;

    private Builder(Action action, List<String> services) {
      this.action = action;
      services.forEach(s -> this.services.add(requireNonNull(s, "service").toLowerCase(Locale.ROOT)));
    }

    /** Names the rule (default {@code allow:<services>} or {@code deny:<services>}). */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** Limits the rule to these methods, e.g. {@code GET}. */
    public Builder methods(String... methods) {
      for (String method : methods) {
        this.methods.add(requireNonNull(method, "method").toUpperCase(Locale.ROOT));
      }
      return this;
    }

    /** Limits the rule to paths matching these patterns, e.g. {@code /orders/**}. */
    public Builder paths(String... paths) {
      for (String path : paths) {
        this.paths.add(requireNonNull(path, "path"));
      }
      return this;
    }

    /**
     * Checks the values and builds the rule.
     *
     * @throws MeshConfigException naming the first bad value
     */
    public EgressRule build() {
      if (services.isEmpty()) {
        throw new MeshConfigException("rule.services", services, "at least one service name or pattern, e.g. orders or *");
      }
      for (int i = 0; i < services.size(); i++) {
        if (!SERVICE.matcher(services.get(i)).matches()) {
          throw new MeshConfigException("rule.services[" + i + "]", services.get(i),
              "a service or host name, * matching any characters, e.g. orders or *.example.com");
        }
      }
      for (int i = 0; i < methods.size(); i++) {
        if (!METHOD.matcher(methods.get(i)).matches()) {
          throw new MeshConfigException("rule.methods[" + i + "]", methods.get(i), "an HTTP method such as GET");
        }
      }
      for (int i = 0; i < paths.size(); i++) {
        if (!PATH.matcher(paths.get(i)).matches()) {
          throw new MeshConfigException("rule.paths[" + i + "]", paths.get(i), "a path pattern starting with /, e.g. /orders/**");
        }
      }
      if (name != null && !NAME.matcher(name).matches()) {
        throw new MeshConfigException("rule.name", name, "a non-blank name of printable characters");
      }
      return new EgressRule(this);
    }
  }
}
