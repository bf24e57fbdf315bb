package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.meshclient.api.Redaction;
import io.meshclient.core.tracing.MeshTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Spans of a mesh call, with the SDK's in-memory exporter, and context propagation with the API alone. */
class MeshTracingTest {
  @RegisterExtension
  static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  @RegisterExtension
  final Backends backends = new Backends();

  private WireMockServer failingOnce() {
    WireMockServer server = backends.ok("ok");
    server.resetAll();
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
    server.stubFor(any(anyUrl()).inScenario("once").whenScenarioStateIs("recovered")
        .willReturn(aResponse().withStatus(200).withBody("ok")));
    return server;
  }

  @Test
  void aRetriedCallHasALogicalSpanAndOneClientSpanPerAttemptEachWithItsOwnTraceparent() throws IOException {
    WireMockServer server = failingOnce();
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshTracing.of(otel.getOpenTelemetry()))
        .redaction(Redaction.builder().queryParameters("token").build())
        .service("orders", Backends.endpoint(server))
        .build()) {
      Span parent = otel.getOpenTelemetry().getTracer("test").spanBuilder("handler").startSpan();
      try (Scope scope = Context.current().with(parent).with(Baggage.builder().put("user", "alice").build()).makeCurrent();
           Response response = mesh.httpClient().newCall(new Request.Builder()
               .url("http://orders/orders/42?token=s3cret&page=2").build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
      } finally {
        parent.end();
      }
    }

    List<SpanData> spans = otel.getSpans();
    SpanData handler = only(spans, "handler");
    SpanData logical = only(spans, "GET orders");
    assertThat(logical.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(logical.getParentSpanId()).isEqualTo(handler.getSpanId());
    assertThat(logical.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("orders");
    assertThat(logical.getAttributes().get(AttributeKey.stringKey("url.full")))
        .isEqualTo("http://orders/orders/42?token=REDACTED&page=2");
    assertThat(logical.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200);
    assertThat(logical.getAttributes().get(AttributeKey.longKey("mesh.attempts"))).isEqualTo(2);
    assertThat(logical.getEvents()).extracting(EventData::getName).contains("mesh.retry");

    List<SpanData> attempts = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    assertThat(attempts).hasSize(2).allSatisfy(a -> {
      assertThat(a.getName()).isEqualTo("GET");
      assertThat(a.getParentSpanId()).isEqualTo(logical.getSpanId());
      assertThat(a.getTraceId()).isEqualTo(handler.getTraceId());
      assertThat(a.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
      assertThat(a.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
      assertThat(a.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(server.port());
      assertThat(a.getAttributes().get(AttributeKey.stringKey("url.full")))
          .isEqualTo("http://127.0.0.1:" + server.port() + "/orders/42?token=REDACTED&page=2");
      EventData pick = a.getEvents().stream().filter(e -> e.getName().equals("mesh.pick")).findFirst().orElseThrow();
      assertThat(pick.getAttributes().get(AttributeKey.stringKey("mesh.pick.chosen"))).isEqualTo("127.0.0.1:" + server.port());
      assertThat(pick.getAttributes().get(AttributeKey.stringArrayKey("mesh.pick.verdicts"))).containsExactly("chosen");
    });
    SpanData first = attempts.get(0);
    SpanData second = attempts.get(1);
    assertThat(first.getAttributes().get(AttributeKey.longKey("http.request.resend_count"))).isNull();
    assertThat(first.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503);
    assertThat(first.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(second.getAttributes().get(AttributeKey.longKey("http.request.resend_count"))).isEqualTo(1);
    assertThat(second.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200);

    // Each attempt went out with its own span as the parent, and with the caller's baggage.
    List<LoggedRequest> received = server.findAll(anyRequestedFor(anyUrl()));
    assertThat(received).hasSize(2);
    assertThat(received.get(0).getHeader("traceparent"))
        .isEqualTo("00-" + handler.getTraceId() + "-" + first.getSpanId() + "-" + flags(first));
    assertThat(received.get(1).getHeader("traceparent"))
        .isEqualTo("00-" + handler.getTraceId() + "-" + second.getSpanId() + "-" + flags(second));
    assertThat(received).allSatisfy(r -> assertThat(r.getHeader("baggage")).isEqualTo("user=alice"));
  }

  @Test
  void aRoutedCallNamesItsRouteAndItsPickIsExplainedAmongTheSubsetOnly() throws IOException {
    WireMockServer v1 = backends.ok("v1");
    WireMockServer v2 = backends.ok("v2");
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshTracing.of(otel.getOpenTelemetry()))
        .service("orders", s -> s
            .endpoints(io.meshclient.api.Endpoint.builder("127.0.0.1", v1.port()).label("version", "v1").build(),
                io.meshclient.api.Endpoint.builder("127.0.0.1", v2.port()).label("version", "v2").build())
            .route(io.meshclient.api.Route.builder("canary")
                .destination(io.meshclient.api.Destination.subset("version", "v2")).build()))
        .build()) {
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).execute().close();
      assertThat(mesh.snapshot().services().get(0).decisions()).singleElement()
          .satisfies(d -> assertThat(d.considered()).isEqualTo(1));
    }
    SpanData logical = only(otel.getSpans(), "GET orders");
    assertThat(logical.getAttributes().get(AttributeKey.stringKey("mesh.route"))).isEqualTo("canary");
    SpanData attempt = otel.getSpans().stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    EventData pick = attempt.getEvents().stream().filter(e -> e.getName().equals("mesh.pick")).findFirst().orElseThrow();
    assertThat(pick.getAttributes().get(AttributeKey.stringArrayKey("mesh.pick.endpoints")))
        .containsExactly("127.0.0.1:" + v2.port());
    assertThat(pick.getAttributes().get(AttributeKey.longKey("mesh.pick.considered"))).isEqualTo(1);
  }

  @Test
  void withTheApiAloneTheCallersContextStillGoesOutInTheHeaders() throws IOException {
    WireMockServer server = backends.ok("ok");
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String spanId = "00f067aa0ba902b7";
    // OpenTelemetry.noop(): no SDK, no propagators of its own; the mesh falls back to W3C.
    try (MeshClient mesh = MeshClient.builder()
        .telemetry(MeshTracing.of(OpenTelemetry.noop()))
        .service("orders", Backends.endpoint(server))
        .build()) {
      Span remote = Span.wrap(SpanContext.createFromRemoteParent(traceId, spanId, TraceFlags.getSampled(),
          TraceState.getDefault()));
      try (Scope scope = Context.root().with(remote).with(Baggage.builder().put("tenant", "t1").build()).makeCurrent();
           Response response = mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
      // Outside any trace: nothing to propagate, and the call works all the same.
      try (Response response = mesh.httpClient().newCall(new Request.Builder().url("http://orders/b").build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
    List<LoggedRequest> received = server.findAll(anyRequestedFor(anyUrl()));
    assertThat(received.get(0).getHeader("traceparent")).isEqualTo("00-" + traceId + "-" + spanId + "-01");
    assertThat(received.get(0).getHeader("baggage")).isEqualTo("tenant=t1");
    assertThat(received.get(1).containsHeader("traceparent")).isFalse();
  }

  @Test
  void anEnqueuedCallCarriesTheCallersContextWhenTheDispatcherDoes() throws Exception {
    WireMockServer server = backends.ok("ok");
    java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool();
    okhttp3.OkHttpClient transport = new okhttp3.OkHttpClient.Builder()
        .dispatcher(new okhttp3.Dispatcher(Context.taskWrapping(executor)))
        .build();
    try (MeshClient mesh = MeshClient.builder()
        .transport(transport)
        .telemetry(MeshTracing.of(otel.getOpenTelemetry()))
        .service("orders", Backends.endpoint(server))
        .build()) {
      Span parent = otel.getOpenTelemetry().getTracer("test").spanBuilder("handler").startSpan();
      java.util.concurrent.CompletableFuture<Integer> status = new java.util.concurrent.CompletableFuture<>();
      try (Scope scope = parent.makeCurrent()) {
        mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).enqueue(new okhttp3.Callback() {
          @Override
          public void onResponse(okhttp3.Call call, Response response) {
            try (response) {
              status.complete(response.code());
            }
          }

          @Override
          public void onFailure(okhttp3.Call call, IOException e) {
            status.completeExceptionally(e);
          }
        });
      } finally {
        parent.end();
      }
      assertThat(status.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
      String traceId = parent.getSpanContext().getTraceId();
      assertThat(server.findAll(anyRequestedFor(anyUrl())).get(0).getHeader("traceparent")).startsWith("00-" + traceId);
      org.awaitility.Awaitility.await().untilAsserted(() ->
          assertThat(only(otel.getSpans(), "GET orders").getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId()));
    } finally {
      transport.dispatcher().executorService().shutdown();
      executor.shutdown();
    }
  }

  @Test
  void aFailedAttemptsSpanCarriesItsErrorTypeAndARedactedMessage() throws IOException {
    // A transport interceptor whose failure quotes the attempt's URL, secrets and all.
    okhttp3.OkHttpClient transport = new okhttp3.OkHttpClient.Builder()
        .addInterceptor(chain -> {
          throw new java.net.ConnectException("proxy refused " + chain.request().url());
        })
        .build();
    try (MeshClient mesh = MeshClient.builder()
        .transport(transport)
        .telemetry(MeshTracing.of(otel.getOpenTelemetry()))
        .redaction(Redaction.builder().queryParameters("token").build())
        .service("orders", s -> s.endpoints(io.meshclient.api.Endpoint.of("127.0.0.1", 9))
            .retry(io.meshclient.api.RetryPolicy.disabled()))
        .build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> mesh.httpClient()
          .newCall(new Request.Builder().url("http://user:pa55word@orders/a?token=s3cret").build()).execute())
          .isInstanceOf(IOException.class);
    }
    SpanData attempt = otel.getSpans().stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("java.net.ConnectException");
    assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attempt.getAttributes().get(AttributeKey.stringKey("url.full")))
        .isEqualTo("http://REDACTED:REDACTED@127.0.0.1:9/a?token=REDACTED");
    SpanData logical = only(otel.getSpans(), "GET orders");
    assertThat(logical.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("java.net.ConnectException");
    assertThat(logical.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isNull();
    assertThat(logical.getAttributes().get(AttributeKey.stringKey("url.full")))
        .isEqualTo("http://REDACTED:REDACTED@orders/a?token=REDACTED");
    for (SpanData span : List.of(attempt, logical)) {
      EventData exception = span.getEvents().stream().filter(e -> e.getName().equals("exception")).findFirst().orElseThrow();
      assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.message")))
          .startsWith("proxy refused ").contains("token=REDACTED").doesNotContain("s3cret", "pa55word");
      assertThat(span.getStatus().getDescription()).doesNotContain("s3cret", "pa55word");
    }
  }

  private static io.meshclient.api.Endpoint refusing() {
    try {
      return Backends.refusing();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String flags(SpanData span) {
    return span.getSpanContext().getTraceFlags().asHex();
  }

  private static SpanData only(List<SpanData> spans, String name) {
    List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(named).hasSize(1);
    return named.get(0);
  }
}
