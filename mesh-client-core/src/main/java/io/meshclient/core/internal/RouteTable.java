package io.meshclient.core.internal;

import io.meshclient.api.Destination;
import io.meshclient.api.FaultPolicy;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.Route;
import io.meshclient.api.RouteMatch;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.StringMatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import okhttp3.HttpUrl;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * A service's routes, resolved when the mesh is built and again after a reload changes the
 * service's policy (once per policy, see {@link MeshInterceptor#routes}): each route's match, its destinations
 * as {@link Target}s with cumulative weights, the service policy with the route's overrides, its
 * request edits, faults and mirror. A call asks {@link #select} once, at its start.
 *
 * <p>Immutable and thread-safe; selecting a route allocates nothing.
 */
public final class RouteTable {
  static final RouteTable EMPTY = new RouteTable(new Entry[0], null);

  private final Entry[] entries;
  /** The policy the table was made from: a table is made again when the service's policy changes (a reload). */
  final @Nullable ServicePolicy source;

  private RouteTable(Entry[] entries, @Nullable ServicePolicy source) {
    this.entries = entries;
    this.source = source;
  }

  /** The routes of {@code policy}, {@code cluster}'s; destinations name services among {@code clusters}. */
  static RouteTable of(Cluster cluster, ServicePolicy policy, Map<String, Cluster> clusters) {
    return of(cluster, policy, clusters, null);
  }

  /**
   * The routes of {@code policy}, made to replace {@code previous}: a route of the same name with
   * the same mirror policy keeps the previous table's {@link Mirror}, so copies still in flight from
   * calls on the old table count toward its {@link io.meshclient.api.MirrorPolicy#maxConcurrent()}.
   */
  static RouteTable of(Cluster cluster, ServicePolicy policy, Map<String, Cluster> clusters,
      @Nullable RouteTable previous) {
    List<Route> routes = policy.routes();
    if (routes.isEmpty()) {
      return new RouteTable(new Entry[0], policy);
    }
    checkDestinations(cluster.service(), policy, clusters.keySet());
    Entry[] entries = new Entry[routes.size()];
    for (int i = 0; i < entries.length; i++) {
      Route route = routes.get(i);
      Mirror kept = previous != null ? previous.mirrorFor(Entry.name(route, i), route) : null;
      entries[i] = new Entry(route, i, cluster, policy, clusters, kept);
    }
    return new RouteTable(entries, policy);
  }

  /** The mirror of this table's route called {@code name}, if it has the same mirror policy as {@code route}. */
  private @Nullable Mirror mirrorFor(String name, Route route) {
    if (route.mirror() == null) {
      return null;
    }
    for (Entry e : entries) {
      if (e.name.equals(name) && e.mirror != null && route.mirror().equals(e.route.mirror())) {
        return e.mirror;
      }
    }
    return null;
  }

  /** Every subset this table's routes send to: destinations, fallbacks and mirrors. */
  void collectTargets(Set<Target> into) {
    for (Entry e : entries) {
      Collections.addAll(into, e.targets);
      if (e.fallback != null) {
        into.add(e.fallback);
      }
      if (e.mirror != null) {
        into.add(e.mirror.target());
      }
    }
  }

  /**
   * Checks that every destination, fallback and mirror of {@code service}'s routes names a service
   * of the mesh.
   *
   * @throws MeshConfigException at {@code services.<service>.routes[i].destinations[j].service} (or
   *     {@code fallback.service}, {@code mirror.destination.service}) naming the unknown service
   */
  public static void checkDestinations(String service, ServicePolicy policy, java.util.Set<String> services) {
    List<Route> routes = policy.routes();
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      String path = "services." + service + ".routes[" + i + "].";
      for (int j = 0; j < route.destinations().size(); j++) {
        check(route.destinations().get(j), path + "destinations[" + j + "].service", services);
      }
      if (route.fallback() != null) {
        check(route.fallback(), path + "fallback.service", services);
      }
      if (route.mirror() != null) {
        check(route.mirror().destination(), path + "mirror.destination.service", services);
      }
    }
  }

  private static void check(Destination destination, String path, java.util.Set<String> services) {
    String name = destination.service();
    if (name != null && !services.contains(name)) {
      throw new MeshConfigException(path, name, "a service of the mesh, one of " + new java.util.TreeSet<>(services));
    }
  }

  /** The first route that takes {@code request}, or null when none does (the call goes to the whole service). */
  @Nullable Entry select(Request request) {
    for (Entry e : entries) {
      if (e.matches(request)) {
        return e;
      }
    }
    return null;
  }

  /** Whether the service has no route. */
  boolean isEmpty() {
    return entries.length == 0;
  }

  /** One route, ready for calls. */
  static final class Entry {
    final Route route;
    /** The route's name, or {@code routes[i]} when it has none. */
    final String name;
    /** The service's policy with the route's timeouts, retry and hedging in place of the service's. */
    final ServicePolicy policy;
    final @Nullable Target fallback;
    final @Nullable FaultPolicy fault;
    final @Nullable Mirror mirror;
    private final Target[] targets;
    private final int[] upTo;
    private final int totalWeight;
    private final @Nullable StringMatch path;
    private final String[] methods;
    private final String[] headerNames;
    private final StringMatch[] headerMatches;
    private final String[] queryNames;
    private final StringMatch[] queryMatches;
    private final boolean editsRequest;

    Entry(Route route, int index, Cluster cluster, ServicePolicy service, Map<String, Cluster> clusters,
        @Nullable Mirror kept) {
      this.route = route;
      this.name = name(route, index);
      ServicePolicy.Builder overridden = service.toBuilder();
      if (route.timeouts() != null) {
        overridden.timeouts(route.timeouts());
      }
      if (route.retry() != null) {
        overridden.retry(route.retry());
      }
      if (route.hedging() != null) {
        overridden.hedging(route.hedging());
      }
      this.policy = overridden.build();
      List<Destination> destinations = route.destinations().isEmpty()
          ? List.of(Destination.builder().build()) : route.destinations();
      List<Target> targets = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      for (Destination d : destinations) {
        if (d.weight() > 0) {
          targets.add(target(d, cluster, clusters));
          weights.add(d.weight());
        }
      }
      this.targets = targets.toArray(new Target[0]);
      this.upTo = new int[weights.size()];
      int sum = 0;
      for (int i = 0; i < upTo.length; i++) {
        sum += weights.get(i);
        upTo[i] = sum;
      }
      this.totalWeight = sum;
      this.fallback = route.fallback() != null ? target(route.fallback(), cluster, clusters) : null;
      this.fault = route.fault() != null && (route.fault().delays() || route.fault().aborts()) ? route.fault() : null;
      this.mirror = route.mirror() == null || route.mirror().percent() <= 0 ? null
          : kept != null ? keep(kept)
          : new Mirror(target(route.mirror().destination(), cluster, clusters), route.mirror(), cluster);
      RouteMatch match = route.match();
      this.path = match.path();
      this.methods = match.methods().toArray(new String[0]);
      this.headerNames = match.headers().keySet().toArray(new String[0]);
      this.headerMatches = match.headers().values().toArray(new StringMatch[0]);
      this.queryNames = match.queryParameters().keySet().toArray(new String[0]);
      this.queryMatches = match.queryParameters().values().toArray(new StringMatch[0]);
      this.editsRequest = route.rewritePathPrefix() != null || route.rewriteAuthority() != null
          || !route.setHeaders().isEmpty() || !route.removeHeaders().isEmpty();
    }

    /** The route's name, or {@code routes[i]} when it has none. */
    static String name(Route route, int index) {
      return route.name().isEmpty() ? "routes[" + index + "]" : route.name();
    }

    private static Mirror keep(Mirror mirror) {
      mirror.target().cluster().addSubset(mirror.target()); // known already, unless a table dropped it
      return mirror;
    }

    private static Target target(Destination d, Cluster own, Map<String, Cluster> clusters) {
      Cluster cluster = d.service() == null ? own : clusters.get(d.service());
      Target target = new Target(cluster, d.subset());
      cluster.addSubset(target);
      return target;
    }

    boolean matches(Request request) {
      if (methods.length > 0 && !contains(methods, request.method())) {
        return false;
      }
      if (path != null && !path.matches(request.url().encodedPath())) {
        return false;
      }
      for (int i = 0; i < headerNames.length; i++) {
        if (!headerMatches[i].matches(request.header(headerNames[i]))) {
          return false;
        }
      }
      for (int i = 0; i < queryNames.length; i++) {
        if (!queryMatches[i].matches(queryParameter(request.url(), queryNames[i]))) {
          return false;
        }
      }
      return true;
    }

    /** The parameter's first value; empty for a parameter without one ({@code ?dryRun}); null when missing. */
    private static @Nullable String queryParameter(HttpUrl url, String name) {
      String value = url.queryParameter(name);
      return value != null || !url.queryParameterNames().contains(name) ? value : "";
    }

    private static boolean contains(String[] values, String value) {
      for (String v : values) {
        if (v.equals(value)) {
          return true;
        }
      }
      return false;
    }

    /** Draws the call's destination by weight. */
    Target draw(RandomGenerator random) {
      if (targets.length == 1) {
        return targets[0];
      }
      int ticket = random.nextInt(totalWeight);
      for (int i = 0; i < upTo.length; i++) {
        if (ticket < upTo[i]) {
          return targets[i];
        }
      }
      return targets[targets.length - 1];
    }

    /** {@code request} with the route's path rewrite, authority and header edits. */
    Request apply(Request request) {
      if (!editsRequest) {
        return request;
      }
      Request.Builder b = request.newBuilder();
      String prefix = route.rewritePathPrefix();
      if (prefix != null) {
        HttpUrl url = request.url();
        String matched = path.kind() == StringMatch.Kind.EXACT ? url.encodedPath() : path.value();
        String rest = url.encodedPath().substring(matched.length());
        if (prefix.endsWith("/") && rest.startsWith("/")) {
          rest = rest.substring(1); // "/api/" + "/x" must not make "//x"
        }
        b.url(url.newBuilder().encodedPath(prefix + rest).build());
      }
      for (String header : route.removeHeaders()) {
        b.removeHeader(header);
      }
      for (Map.Entry<String, String> header : route.setHeaders().entrySet()) {
        b.header(header.getKey(), header.getValue());
      }
      if (route.rewriteAuthority() != null) {
        b.header("Host", route.rewriteAuthority());
      }
      return b.build();
    }

    @Override
    public String toString() {
      return "route '" + name + "'";
    }
  }
}
