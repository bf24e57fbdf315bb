package io.meshclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Routes, matches, destinations, faults and mirrors: their checks and their values. */
class RouteValuesTest {

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        bad(() -> StringMatch.regex("(unclosed"), "regex: \"(unclosed\" (expected: a Java regular expression"),
        bad(() -> StringMatch.prefix(""), "prefix: \"\" (expected: a non-empty prefix (for any value: present))"),
        bad(() -> RouteMatch.builder().path(StringMatch.present()), "path: \"present\" (expected: exact, prefix or regex"),
        bad(() -> RouteMatch.builder().path(StringMatch.prefix("api")), "path.prefix: \"api\" (expected: a path starting with /)"),
        bad(() -> RouteMatch.builder().methods("GE T"), "methods: \"GE T\" (expected: an HTTP method such as GET or POST)"),
        bad(() -> RouteMatch.builder().header("x user", StringMatch.present()), "headers: \"x user\" (expected: an HTTP header name"),
        bad(() -> Destination.builder().weight(-1), "weight: -1 (expected: >= 0)"),
        bad(() -> Destination.builder().subset("", "v1"), "subset: \"\" (expected: a non-empty label name)"),
        bad(() -> Route.builder().destination(Destination.builder().weight(0).build()).build(),
            "destinations: \"1 destination(s) of weight 0\" (expected: at least one destination with a weight > 0)"),
        bad(() -> Route.builder("canary")
                .destination(Destination.builder().subset("version", "v1").weight(Integer.MAX_VALUE).build())
                .destination(Destination.builder().subset("version", "v2").weight(1).build()).build(),
            "destinations: \"route 'canary': weights [2147483647, 1] adding up to 2147483648\" "
                + "(expected: weights adding up to at most 2147483647 (they are relative: 90 and 10 split like 9 and 1))"),
        bad(() -> Route.builder().rewritePathPrefix("/api/").build(),
            "rewritePathPrefix: \"/api/\" (expected: a route whose match is on an exact path or a path prefix"),
        bad(() -> Route.builder().rewritePathPrefix("api"), "rewritePathPrefix: \"api\" (expected: a path starting with /)"),
        bad(() -> Route.builder().setHeader("Host", "x"), "setHeaders: \"Host\" (expected: a header other than Host"),
        bad(() -> Route.builder().rewriteAuthority("a b"), "rewriteAuthority: \"a b\" (expected: a host name, optionally with :port)"),
        bad(() -> FaultPolicy.builder().abortHttpStatus(99), "fault.abortHttpStatus: 99 (expected: an HTTP status within 200..599)"),
        bad(() -> FaultPolicy.builder().abortPercent(101), "fault.abortPercent: 101.0 (expected: a percentage within 0..100)"),
        bad(() -> FaultPolicy.builder().delay(Duration.ofSeconds(-1)), "fault.delay: PT-1S (expected: >= 0s)"),
        bad(() -> FaultPolicy.builder().abortHttpStatus(503).abortConnectionError(true).build(),
            "fault.abortConnectionError: true (expected: either an abort status or a connection error, not both"),
        bad(() -> FaultPolicy.builder().abortPercent(5).build(),
            "fault.abortPercent: 5.0 (expected: 0 unless abortHttpStatus or abortConnectionError is set)"),
        bad(() -> FaultPolicy.builder().delayPercent(5).build(), "fault.delayPercent: 5.0 (expected: 0 unless a delay is set)"),
        bad(() -> MirrorPolicy.builder().build(), "mirror.destination: null (expected: a destination (service and/or subset))"),
        bad(() -> MirrorPolicy.builder().maxConcurrent(0), "mirror.maxConcurrent: 0 (expected: >= 1)"),
        bad(() -> MirrorPolicy.builder().percent(-1), "mirror.percent: -1.0 (expected: a percentage within 0..100)"),
        bad(() -> ServicePolicy.builder().route(Route.builder("a").build()).route(Route.builder("a").build()).build(),
            "routes[1].name: \"a\" (expected: a name no other route of the service has)"));
  }

  private static Arguments bad(Supplier<?> build, String message) {
    return Arguments.of(build, message);
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void badValuesAreRefusedNamingTheFieldTheValueAndWhatWasExpected(Supplier<?> build, String message) {
    assertThatThrownBy(build::get).isInstanceOf(MeshConfigException.class).hasMessageStartingWith(message);
  }

  @Test
  void aRegexErrorMovesUnderItsFieldPath() {
    assertThatThrownBy(() -> {
      try {
        StringMatch.regex("[");
      } catch (MeshConfigException e) {
        throw e.withParent("routes[0].match.path");
      }
    }).isInstanceOf(MeshConfigException.class).hasMessageStartingWith("routes[0].match.path.regex: \"[\"");
  }

  @Test
  void stringMatchesTestValues() {
    assertThat(StringMatch.exact("beta").matches("beta")).isTrue();
    assertThat(StringMatch.exact("beta").matches("Beta")).isFalse();
    assertThat(StringMatch.exact("beta").matches(null)).isFalse();
    assertThat(StringMatch.prefix("/api/").matches("/api/x")).isTrue();
    assertThat(StringMatch.prefix("/api/").matches("/apix")).isFalse();
    assertThat(StringMatch.regex("v[0-9]+").matches("v12")).isTrue();
    assertThat(StringMatch.regex("v[0-9]+").matches("xv12")).as("the whole value").isFalse();
    assertThat(StringMatch.present().matches("")).isTrue();
    assertThat(StringMatch.present().matches(null)).isFalse();
    assertThat(StringMatch.absent().matches(null)).isTrue();
    assertThat(StringMatch.absent().matches("x")).isFalse();
  }

  @Test
  void faultPercentagesDefaultToEveryRequestOnceAFaultIsSet() {
    FaultPolicy delay = FaultPolicy.builder().delay(Duration.ofSeconds(1)).build();
    assertThat(delay.delayPercent()).isEqualTo(100);
    assertThat(delay.abortPercent()).isZero();
    assertThat(delay.delays()).isTrue();
    assertThat(delay.aborts()).isFalse();
    FaultPolicy abort = FaultPolicy.builder().abortHttpStatus(503).abortPercent(5).build();
    assertThat(abort.abortPercent()).isEqualTo(5);
    assertThat(abort.delays()).isFalse();
    assertThat(abort.toBuilder().build()).isEqualTo(abort);
  }

  @Test
  void routesAreValuesThatRoundTripThroughTheirBuilders() {
    Route route = Route.builder("beta")
        .match(RouteMatch.builder().path(StringMatch.prefix("/v1/")).methods("get").header("X-User-Group",
            StringMatch.exact("beta")).queryParameter("q", StringMatch.absent()).build())
        .destination(Destination.builder().subset("version", "v2").weight(10).build())
        .fallback(Destination.subset("version", "v1"))
        .rewritePathPrefix("/api/")
        .setHeader("x-route", "beta")
        .removeHeader("X-Secret")
        .fault(FaultPolicy.builder().abortConnectionError(true).abortPercent(1).build())
        .mirror(MirrorPolicy.builder().destination(Destination.builder().service("shadow").build()).build())
        .build();

    assertThat(route.toBuilder().build()).isEqualTo(route).hasSameHashCodeAs(route);
    assertThat(route.match().methods()).containsExactly("GET");
    assertThat(route.match().headers()).containsOnlyKeys("x-user-group");
    assertThat(route.removeHeaders()).containsExactly("x-secret");
    assertThat(route.toString()).contains("beta").contains("x-route").doesNotContain("setHeaders={x-route=beta}");
    ServicePolicy policy = ServicePolicy.builder().routes(List.of(route)).build();
    assertThat(policy.toBuilder().build()).isEqualTo(policy);
    assertThat(ServicePolicy.ofDefaults().routes()).isEmpty();
  }
}
