package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a service's route table ({@link ServicePolicy#routes()}): the requests it
 * {@linkplain #match() takes}, where it sends them ({@linkplain #destinations() destinations} with
 * weights, each a service and a subset of its endpoints), and what it changes on the way: timeouts,
 * retries and hedging that override the service's, a path prefix and authority rewrite, headers set
 * and removed, {@linkplain #fault() injected faults} and {@linkplain #mirror() mirroring}. The
 * routes of a service are tried in order; the first that matches takes the request.
 *
 * <pre>{@code
 * Route beta = Route.builder("beta")
 *     .match(RouteMatch.builder().header("x-user-group", StringMatch.exact("beta")).build())
 *     .destination(Destination.subset("version", "v2"))
 *     .build();
 * Route canary = Route.builder("default")
 *     .destination(Destination.builder().subset("version", "v1").weight(90).build())
 *     .destination(Destination.builder().subset("version", "v2").weight(10).build())
 *     .timeouts(TimeoutPolicy.builder().timeout(Duration.ofSeconds(10)).perTryTimeout(Duration.ofSeconds(2)).build())
 *     .retry(RetryPolicy.builder().maxAttempts(4).build())
 *     .build();
 * }</pre>
 *
 * <p>A route with no destination sends to all endpoints of the service called. A destination whose
 * subset has no endpoint fails the call with {@link NoEndpointAvailableException} naming the
 * service and the labels, unless the route has a {@linkplain #fallback() fallback}. The destination
 * is drawn once per call: retries and hedges stay within it. Immutable and thread-safe.
 */
public final class Route {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final String name;
  private final RouteMatch match;
  private final List<Destination> destinations;
  private final @Nullable Destination fallback;
  private final @Nullable TimeoutPolicy timeouts;
  private final @Nullable RetryPolicy retry;
  private final @Nullable HedgingPolicy hedging;
  private final @Nullable String rewritePathPrefix;
  private final @Nullable String rewriteAuthority;
  private final Map<String, String> setHeaders;
  private final Set<String> removeHeaders;
  private final @Nullable FaultPolicy fault;
  private final @Nullable MirrorPolicy mirror;

  private Route(Builder b) {
    this.name = b.name;
    this.match = b.match;
    this.destinations = List.copyOf(b.destinations);
    this.fallback = b.fallback;
    this.timeouts = b.timeouts;
    this.retry = b.retry;
    this.hedging = b.hedging;
    this.rewritePathPrefix = b.rewritePathPrefix;
    this.rewriteAuthority = b.rewriteAuthority;
    this.setHeaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.setHeaders));
    this.removeHeaders = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.removeHeaders));
    this.fault = b.fault;
    this.mirror = b.mirror;
  }

  /** A builder for a route called {@code name} (shown in errors and logs; empty for an unnamed route). */
  public static Builder builder(String name) {
    return new Builder(requireNonNull(name, "name"));
  }

  /** A builder for an unnamed route. */
  public static Builder builder() {
    return new Builder("");
  }

  /** A builder starting from this route's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.match = match;
    b.destinations.addAll(destinations);
    b.fallback = fallback;
    b.timeouts = timeouts;
    b.retry = retry;
    b.hedging = hedging;
    b.rewritePathPrefix = rewritePathPrefix;
    b.rewriteAuthority = rewriteAuthority;
    b.setHeaders.putAll(setHeaders);
    b.removeHeaders.addAll(removeHeaders);
    b.fault = fault;
    b.mirror = mirror;
    return b;
  }

  /** The route's name; empty when unnamed. */
  public String name() {
    return name;
  }

  /** Which requests the route takes. */
  public RouteMatch match() {
    return match;
  }

  /** Where the route sends requests, split by weight; empty for all endpoints of the service called. */
  public List<Destination> destinations() {
    return destinations;
  }

  /** Where requests go when the drawn destination has no endpoint, or {@code null} to fail them. */
  public @Nullable Destination fallback() {
    return fallback;
  }

  /** The timeouts of the route's calls, or {@code null} for the service's. */
  public @Nullable TimeoutPolicy timeouts() {
    return timeouts;
  }

  /** The retry policy of the route's calls, or {@code null} for the service's. */
  public @Nullable RetryPolicy retry() {
    return retry;
  }

  /** The hedging of the route's calls, or {@code null} for the service's. */
  public @Nullable HedgingPolicy hedging() {
    return hedging;
  }

  /**
   * What replaces the path prefix the route {@linkplain RouteMatch#path() matched} (the whole path
   * for an exact match), or {@code null} to keep the path.
   */
  public @Nullable String rewritePathPrefix() {
    return rewritePathPrefix;
  }

  /** The {@code Host} header (authority) the route's requests carry, or {@code null} for the endpoint's. */
  public @Nullable String rewriteAuthority() {
    return rewriteAuthority;
  }

  /** Headers set on the route's requests (replacing any value they had), by name. */
  public Map<String, String> setHeaders() {
    return setHeaders;
  }

  /** Headers removed from the route's requests, lower case. */
  public Set<String> removeHeaders() {
    return removeHeaders;
  }

  /** The faults injected into the route's calls, or {@code null} for none. */
  public @Nullable FaultPolicy fault() {
    return fault;
  }

  /** Where a share of the route's requests is copied, or {@code null} for nowhere. */
  public @Nullable MirrorPolicy mirror() {
    return mirror;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Route)) {
      return false;
    }
    Route that = (Route) o;
    return name.equals(that.name) && match.equals(that.match) && destinations.equals(that.destinations)
        && java.util.Objects.equals(fallback, that.fallback) && java.util.Objects.equals(timeouts, that.timeouts)
        && java.util.Objects.equals(retry, that.retry) && java.util.Objects.equals(hedging, that.hedging)
        && java.util.Objects.equals(rewritePathPrefix, that.rewritePathPrefix)
        && java.util.Objects.equals(rewriteAuthority, that.rewriteAuthority)
        && setHeaders.equals(that.setHeaders) && removeHeaders.equals(that.removeHeaders)
        && java.util.Objects.equals(fault, that.fault) && java.util.Objects.equals(mirror, that.mirror);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, match, destinations, fallback, timeouts, retry, hedging, rewritePathPrefix,
        rewriteAuthority, setHeaders, removeHeaders, fault, mirror);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Route{").append(name.isEmpty() ? "(unnamed)" : name).append(", ").append(match);
    if (!destinations.isEmpty()) {
      s.append(", destinations=").append(destinations);
    }
    if (fallback != null) {
      s.append(", fallback=").append(fallback);
    }
    if (timeouts != null) {
      s.append(", ").append(timeouts);
    }
    if (retry != null) {
      s.append(", ").append(retry);
    }
    if (hedging != null) {
      s.append(", ").append(hedging);
    }
    if (rewritePathPrefix != null) {
      s.append(", rewritePathPrefix=").append(rewritePathPrefix);
    }
    if (rewriteAuthority != null) {
      s.append(", rewriteAuthority=").append(rewriteAuthority);
    }
    if (!setHeaders.isEmpty()) {
      s.append(", setHeaders=").append(setHeaders.keySet()); // values may be credentials: names only
    }
    if (!removeHeaders.isEmpty()) {
      s.append(", removeHeaders=").append(removeHeaders);
    }
    if (fault != null) {
      s.append(", ").append(fault);
    }
    if (mirror != null) {
      s.append(", ").append(mirror);
    }
    return s.append('}').toString();
  }

  /** Builds a {@link Route}; setters check single values, {@link #build()} how they fit. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private RouteMatch match = RouteMatch.any();
    private final List<Destination> destinations = new ArrayList<>();
    private @Nullable Destination fallback;
    private @Nullable TimeoutPolicy timeouts;
    private @Nullable RetryPolicy retry;
    private @Nullable HedgingPolicy hedging;
    private @Nullable String rewritePathPrefix;
    private @Nullable String rewriteAuthority;
    private final Map<String, String> setHeaders = new LinkedHashMap<>();
    private final Set<String> removeHeaders = new LinkedHashSet<>();
    private @Nullable FaultPolicy fault;
    private @Nullable MirrorPolicy mirror;

    private Builder(String name) {
      this.name = name;
    }

    /** Sets which requests the route takes ({@link RouteMatch#any()} unless set). */
    public Builder match(RouteMatch match) {
      this.match = requireNonNull(match, "match");
      return this;
    }

    /** Adds a destination. */
    public Builder destination(Destination destination) {
      destinations.add(requireNonNull(destination, "destination"));
      return this;
    }

    /** Replaces the destinations with {@code destinations}. */
    public Builder destinations(List<Destination> destinations) {
      List<Destination> copy = List.copyOf(requireNonNull(destinations, "destinations"));
      this.destinations.clear();
      this.destinations.addAll(copy);
      return this;
    }

    /** Sets where requests go when the drawn destination has no endpoint ({@code null}: fail them). */
    public Builder fallback(@Nullable Destination fallback) {
      this.fallback = fallback;
      return this;
    }

    /** Overrides the service's timeouts for this route ({@code null}: inherit). */
    public Builder timeouts(@Nullable TimeoutPolicy timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    /** Overrides the service's retry policy for this route ({@code null}: inherit). */
    public Builder retry(@Nullable RetryPolicy retry) {
      this.retry = retry;
      return this;
    }

    /** Overrides the service's hedging for this route ({@code null}: inherit). */
    public Builder hedging(@Nullable HedgingPolicy hedging) {
      this.hedging = hedging;
      return this;
    }

    /**
     * Replaces the path prefix the route matched with {@code prefix} (Istio's {@code rewrite.uri}):
     * with a match on prefix {@code /v1/}, {@code /v1/orders} becomes {@code /api/orders} for the
     * prefix {@code /api/}. Needs a match on an exact path or a path prefix.
     *
     * @throws MeshConfigException at {@code rewritePathPrefix} if it does not start with {@code /}
     */
    public Builder rewritePathPrefix(@Nullable String prefix) {
      if (prefix != null && !prefix.startsWith("/")) {
        throw new MeshConfigException("rewritePathPrefix", prefix, "a path starting with /");
      }
      this.rewritePathPrefix = prefix;
      return this;
    }

    /**
     * Sends the route's requests with this {@code Host} header (authority), e.g. {@code
     * orders.internal}, instead of the endpoint's address.
     *
     * @throws MeshConfigException at {@code rewriteAuthority} if blank or not a host[:port]
     */
    public Builder rewriteAuthority(@Nullable String authority) {
      if (authority != null && !authority.matches("[A-Za-z0-9.\\-\\[\\]:_]+")) {
        throw new MeshConfigException("rewriteAuthority", authority, "a host name, optionally with :port");
      }
      this.rewriteAuthority = authority;
      return this;
    }

    /**
     * Sets header {@code name} to {@code value} on the route's requests, replacing any value it had.
     *
     * @throws MeshConfigException at {@code setHeaders} if {@code name} is not a header name, or is
     *     {@code Host} (see {@link #rewriteAuthority})
     */
    public Builder setHeader(String name, String value) {
      requireNonNull(value, "value");
      checkHeaderName(name, "setHeaders");
      setHeaders.put(name, value);
      return this;
    }

    /**
     * Removes header {@code name} from the route's requests.
     *
     * @throws MeshConfigException at {@code removeHeaders} if {@code name} is not a header name, or is {@code Host}
     */
    public Builder removeHeader(String name) {
      checkHeaderName(name, "removeHeaders");
      removeHeaders.add(name.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Sets the faults injected into the route's calls ({@code null}: none). */
    public Builder fault(@Nullable FaultPolicy fault) {
      this.fault = fault;
      return this;
    }

    /** Sets where a share of the route's requests is copied ({@code null}: nowhere). */
    public Builder mirror(@Nullable MirrorPolicy mirror) {
      this.mirror = mirror;
      return this;
    }

    /**
     * Checks that the values fit together and builds the route.
     *
     * @throws MeshConfigException at {@code destinations} if every weight is 0 or the weights add
     *     up to more than {@link Integer#MAX_VALUE}, or at {@code rewritePathPrefix} if the match is
     *     not on an exact path or a path prefix
     */
    public Route build() {
      if (!destinations.isEmpty() && destinations.stream().allMatch(d -> d.weight() == 0)) {
        throw new MeshConfigException("destinations", destinations.size() + " destination(s) of weight 0",
            "at least one destination with a weight > 0");
      }
      long sum = destinations.stream().mapToLong(Destination::weight).sum();
      if (sum > Integer.MAX_VALUE) {
        List<Integer> weights = destinations.stream().map(Destination::weight).toList();
        throw new MeshConfigException("destinations",
            (name.isEmpty() ? "" : "route '" + name + "': ") + "weights " + weights + " adding up to " + sum,
            "weights adding up to at most " + Integer.MAX_VALUE + " (they are relative: 90 and 10 split like 9 and 1)");
      }
      StringMatch path = match.path();
      if (rewritePathPrefix != null
          && (path == null || (path.kind() != StringMatch.Kind.PREFIX && path.kind() != StringMatch.Kind.EXACT))) {
        throw new MeshConfigException("rewritePathPrefix", rewritePathPrefix,
            "a route whose match is on an exact path or a path prefix (it replaces what matched)");
      }
      return new Route(this);
    }

    private static void checkHeaderName(String name, String path) {
      if (name == null || !TOKEN.matcher(name).matches()) {
        throw new MeshConfigException(path, name, "an HTTP header name (a token)");
      }
      if (name.equalsIgnoreCase("host")) {
        throw new MeshConfigException(path, name, "a header other than Host (set rewriteAuthority instead)");
      }
    }
  }
}
