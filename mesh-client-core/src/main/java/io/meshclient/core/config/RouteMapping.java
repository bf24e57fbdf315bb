package io.meshclient.core.config;

import io.meshclient.api.Destination;
import io.meshclient.api.FaultPolicy;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.MirrorPolicy;
import io.meshclient.api.Route;
import io.meshclient.api.RouteMatch;
import io.meshclient.api.ServicePolicy;
import io.meshclient.api.StringMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code routes}: a service's ordered routes ({@link Route}), each with its {@code match}, weighted
 * {@code destinations}, {@code fallback}, per-route {@code timeouts}, {@code retry} and
 * {@code hedging} (read over the service's own), rewrites, header edits, {@code fault} and
 * {@code mirror}. A match value is one of {@code {exact|prefix|regex: value}},
 * {@code {present: true}} or {@code {absent: true}}. The builders' errors are placed at the route's
 * path ({@code services.orders.routes[0].match.path.regex}).
 */
final class RouteMapping {
  private RouteMapping() {}

  static List<Route> read(Node node, ServicePolicy service) {
    List<Route> routes = new ArrayList<>();
    for (Node item : node.list()) {
      routes.add(route(item, service));
    }
    return routes;
  }

  /** A route being read. */
  private static final class RouteTarget {
    final Route.Builder builder;
    final ServicePolicy service;

    RouteTarget(Route.Builder builder, ServicePolicy service) {
      this.builder = builder;
      this.service = service;
    }
  }

  private static final Fields<RouteTarget> ROUTE = new Fields<RouteTarget>()
      .field("name", (t, v) -> v.text()) // read before the builder is made
      .field("match", (t, v) -> t.builder.match(match(v)))
      .field("destinations", (t, v) -> {
        List<Destination> destinations = new ArrayList<>();
        for (Node d : v.list()) {
          destinations.add(destination(d));
        }
        t.builder.destinations(destinations);
      })
      .field("fallback", (t, v) -> t.builder.fallback(destination(v)))
      .field("timeouts", (t, v) -> t.builder.timeouts(TimeoutsMapping.read(v, t.service.timeouts())))
      .field("retry", (t, v) -> t.builder.retry(RetryMapping.read(v, t.service.retry())))
      .field("hedging", (t, v) -> t.builder.hedging(HedgingMapping.read(v, t.service.hedging())))
      .field("rewritePathPrefix", (t, v) -> at(v, () -> t.builder.rewritePathPrefix(v.text())))
      .field("rewriteAuthority", (t, v) -> at(v, () -> t.builder.rewriteAuthority(v.text())))
      .field("setHeaders", (t, v) -> v.fields().forEach((name, value) -> t.builder.setHeader(name, value.text())))
      .field("removeHeaders", (t, v) -> v.texts().forEach(t.builder::removeHeader))
      .field("fault", (t, v) -> t.builder.fault(fault(v)))
      .field("mirror", (t, v) -> t.builder.mirror(mirror(v)));

  private static Route route(Node node, ServicePolicy service) {
    Node name = node.fields().get("name");
    Route.Builder builder = name != null ? Route.builder(name.text()) : Route.builder();
    RouteTarget target = new RouteTarget(builder, service);
    return ROUTE.read(node, target, t -> build(node, () -> t.builder.build()));
  }

  private static final Fields<RouteMatch.Builder> MATCH = new Fields<RouteMatch.Builder>()
      .field("path", (b, v) -> b.path(stringMatch(v)))
      .field("methods", (b, v) -> b.methods(v.texts().toArray(new String[0])))
      .field("headers", (b, v) -> v.fields().forEach((name, m) -> b.header(name, stringMatch(m))))
      .field("queryParameters", (b, v) -> v.fields().forEach((name, m) -> b.queryParameter(name, stringMatch(m))));

  static RouteMatch match(Node node) {
    return MATCH.read(node, RouteMatch.builder(), b -> build(node, b::build));
  }

  /** A match value being read: exactly one kind. */
  private static final class MatchTarget {
    StringMatch match;
    int kinds;

    void set(StringMatch m) {
      match = m;
      kinds++;
    }
  }

  private static final Fields<MatchTarget> STRING_MATCH = new Fields<MatchTarget>()
      .field("exact", (t, v) -> t.set(StringMatch.exact(v.text())))
      .field("prefix", (t, v) -> t.set(StringMatch.prefix(v.text())))
      .field("regex", (t, v) -> t.set(StringMatch.regex(v.text())))
      .field("present", (t, v) -> t.set(v.bool() ? StringMatch.present() : StringMatch.absent()))
      .field("absent", (t, v) -> t.set(v.bool() ? StringMatch.absent() : StringMatch.present()));

  static StringMatch stringMatch(Node node) {
    MatchTarget target = new MatchTarget();
    STRING_MATCH.apply(node, target);
    if (target.kinds != 1) {
      throw new MeshConfigException(node.path, Node.shown(node.json),
          "exactly one of exact, prefix, regex, present or absent");
    }
    return target.match;
  }

  private static final Fields<Destination.Builder> DESTINATION = new Fields<Destination.Builder>()
      .field("service", (b, v) -> b.service(v.text()))
      .field("subset", (b, v) -> v.fields().forEach((key, value) -> b.subset(key, value.text())))
      .integer("weight", Destination.Builder::weight);

  static Destination destination(Node node) {
    return DESTINATION.read(node, Destination.builder(), b -> build(node, b::build));
  }

  /** A fault being read: the builder, and the header condition, set together at the end. */
  private static final class FaultTarget {
    final FaultPolicy.Builder builder = FaultPolicy.builder();
    String headerName;
    StringMatch headerMatch;
  }

  private static final Fields<FaultTarget> FAULT = new Fields<FaultTarget>()
      .duration("delay", (t, v) -> t.builder.delay(v))
      .decimal("delayPercent", (t, v) -> t.builder.delayPercent(v))
      .integer("abortHttpStatus", (t, v) -> t.builder.abortHttpStatus(v))
      .bool("abortConnectionError", (t, v) -> t.builder.abortConnectionError(v))
      .decimal("abortPercent", (t, v) -> t.builder.abortPercent(v))
      .text("headerName", (t, v) -> t.headerName = v)
      .field("headerMatch", (t, v) -> t.headerMatch = stringMatch(v));

  static FaultPolicy fault(Node node) {
    return FAULT.read(node, new FaultTarget(), t -> buildPrefixed(node, "fault", () -> {
      if (t.headerName != null) {
        t.builder.onlyWithHeader(t.headerName, t.headerMatch != null ? t.headerMatch : StringMatch.present());
      } else if (t.headerMatch != null) {
        throw new MeshConfigException("fault.headerMatch", t.headerMatch.toString(), "a headerName beside it");
      }
      return t.builder.build();
    }));
  }

  private static final Fields<MirrorPolicy.Builder> MIRROR = new Fields<MirrorPolicy.Builder>()
      .field("destination", (b, v) -> b.destination(destination(v)))
      .decimal("percent", MirrorPolicy.Builder::percent)
      .integer("maxConcurrent", MirrorPolicy.Builder::maxConcurrent);

  static MirrorPolicy mirror(Node node) {
    return MIRROR.read(node, MirrorPolicy.builder(), b -> buildPrefixed(node, "mirror", b::build));
  }

  /** Builds, placing the builder's own error (a field of this section) under the section's path. */
  private static <T> T build(Node node, Supplier<T> build) {
    try {
      return build.get();
    } catch (MeshConfigException e) {
      throw e.withParent(node.path);
    }
  }

  /** Like {@link #build}, for builders whose errors already start with the section's name ({@code fault.delay}). */
  private static <T> T buildPrefixed(Node node, String section, Supplier<T> build) {
    try {
      return build.get();
    } catch (MeshConfigException e) {
      throw Fields.moved(e, node.path);
    }
  }

  private static void at(Node node, Runnable set) {
    try {
      set.run();
    } catch (MeshConfigException e) {
      throw Fields.moved(e, node.path);
    }
  }
}
