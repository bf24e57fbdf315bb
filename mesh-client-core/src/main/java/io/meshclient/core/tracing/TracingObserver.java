package io.meshclient.core.tracing;

import io.meshclient.api.Endpoint;
import io.meshclient.api.Redaction;
import io.meshclient.core.internal.AccessLog;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.EndpointState;
import io.meshclient.core.internal.Outcomes;
import io.meshclient.core.internal.PickExplanation;
import io.meshclient.core.internal.PickState;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/** Starts and ends the spans of each call and attempt, and injects the trace context into attempts. */
final class TracingObserver implements CallObserver {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> SERVICE = AttributeKey.stringKey("mesh.service");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("mesh.route");
  static final AttributeKey<Boolean> HEDGE = AttributeKey.booleanKey("mesh.hedge");
  static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("mesh.attempts");
  static final AttributeKey<String> ENDPOINT = AttributeKey.stringKey("mesh.endpoint");
  static final AttributeKey<String> REASON = AttributeKey.stringKey("mesh.reason");
  static final AttributeKey<String> PICK_CHOSEN = AttributeKey.stringKey("mesh.pick.chosen");
  static final AttributeKey<Long> PICK_CONSIDERED = AttributeKey.longKey("mesh.pick.considered");
  static final AttributeKey<List<String>> PICK_ENDPOINTS = AttributeKey.stringArrayKey("mesh.pick.endpoints");
  static final AttributeKey<List<Double>> PICK_SCORES = AttributeKey.doubleArrayKey("mesh.pick.scores");
  static final AttributeKey<List<String>> PICK_VERDICTS = AttributeKey.stringArrayKey("mesh.pick.verdicts");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");

  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
  private static final TextMapSetter<Request.Builder> SETTER = (carrier, key, value) -> {
    if (carrier != null) {
      carrier.header(key, value);
    }
  };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Redaction redaction;
  private final Map<String, Map<String, String>> spanNames = new ConcurrentHashMap<>();

  TracingObserver(Tracer tracer, TextMapPropagator propagator, Redaction redaction) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.redaction = redaction;
  }

  @Override
  public Call start(Cluster cluster, Request request, @Nullable String route) {
    Context parent = Context.current();
    String method = request.method();
    boolean known = KNOWN_METHODS.contains(method);
    var builder = tracer.spanBuilder(spanName(cluster.service(), known ? method : "HTTP"))
        .setParent(parent)
        .setSpanKind(SpanKind.INTERNAL)
        .setAttribute(METHOD, known ? method : "_OTHER")
        .setAttribute(SERVER_ADDRESS, cluster.service())
        .setAttribute(SERVICE, cluster.service());
    if (!known) {
      builder.setAttribute(METHOD_ORIGINAL, method);
    }
    if (route != null) {
      builder.setAttribute(ROUTE, route);
    }
    Span span = builder.startSpan();
    if (span.isRecording()) {
      // Set after sampling: building the redacted URL is the costliest attribute, and a span
      // that is not recorded would throw it away.
      span.setAttribute(URL_FULL, redaction.url(request.url().toString()));
    }
    return new TracedCall(cluster, request, parent.with(span), span, known ? method : "_OTHER");
  }

  /** {@code <method> <service>}, made once per pair rather than per call. */
  private String spanName(String service, String method) {
    Map<String, String> byMethod = spanNames.get(service);
    if (byMethod == null) {
      byMethod = spanNames.computeIfAbsent(service, s -> new ConcurrentHashMap<>());
    }
    String name = byMethod.get(method);
    return name != null ? name : byMethod.computeIfAbsent(method, m -> m + " " + service);
  }

  private final class TracedCall implements Call {
    private final Cluster cluster;
    private final Request request;
    private final Context context;
    private final Span span;
    private final String method;

    TracedCall(Cluster cluster, Request request, Context context, Span span, String method) {
      this.cluster = cluster;
      this.request = request;
      this.context = context;
      this.span = span;
      this.method = method;
    }

    @Override
    public Attempt attempt(int attempt, EndpointState chosen, PickState picks, Request.Builder attemptRequest,
        boolean hedge) {
      Endpoint endpoint = chosen.endpoint();
      var builder = tracer.spanBuilder("_OTHER".equals(method) ? "HTTP" : method)
          .setParent(context)
          .setSpanKind(SpanKind.CLIENT)
          .setAttribute(METHOD, method)
          .setAttribute(SERVER_ADDRESS, endpoint.host())
          .setAttribute(SERVER_PORT, (long) endpoint.port())
          .setAttribute(SERVICE, cluster.service())
          .setAttribute(ENDPOINT, endpoint.id());
      if (attempt > 0) {
        builder.setAttribute(RESEND_COUNT, (long) attempt);
      }
      if (hedge) {
        builder.setAttribute(HEDGE, true);
      }
      Span attemptSpan = builder.startSpan();
      if (attemptSpan.isRecording()) {
        attemptSpan.setAttribute(URL_FULL, redaction.url(attemptUrl(endpoint, request.url())));
        explain(attemptSpan, PickExplanation.explain(chosen, picks, attempt, hedge));
      }
      propagator.inject(context.with(attemptSpan), attemptRequest, SETTER);
      return (status, failure, nanos) -> finish(attemptSpan, status, failure);
    }

    @Override
    public void retry(String reason) {
      span.addEvent("mesh.retry", Attributes.of(REASON, reason));
    }

    @Override
    public void budgetExhausted() {
      span.addEvent("mesh.retry_budget_exhausted");
    }

    @Override
    public void rejected(String by) {
      span.addEvent("mesh.rejected", Attributes.of(REASON, by));
    }

    @Override
    public void end(@Nullable Response response, @Nullable Throwable failure, int attempts, @Nullable Endpoint endpoint) {
      span.setAttribute(ATTEMPTS, (long) attempts);
      finish(span, response != null ? response.code() : 0, failure);
    }
  }

  private void finish(Span span, int status, @Nullable Throwable failure) {
    if (status > 0) {
      span.setAttribute(STATUS, (long) status);
    }
    String errorType = Outcomes.errorType(status, failure);
    if (errorType != null) {
      span.setAttribute(ERROR_TYPE, errorType);
      if (failure != null) {
        String message = AccessLog.redactText(redaction, failure.getMessage());
        // Not recordException: the message may quote a URL with secrets.
        span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, failure.getClass().getName(), EXCEPTION_MESSAGE, message));
        span.setStatus(StatusCode.ERROR, message);
      } else {
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  private static void explain(Span span, PickExplanation why) {
    List<PickExplanation.Verdict> candidates = why.candidates();
    String[] endpoints = new String[candidates.size()];
    Double[] scores = new Double[candidates.size()];
    String[] verdicts = new String[candidates.size()];
    for (int i = 0; i < candidates.size(); i++) {
      endpoints[i] = candidates.get(i).endpoint();
      scores[i] = candidates.get(i).score();
      verdicts[i] = candidates.get(i).verdict();
    }
    span.addEvent("mesh.pick", Attributes.builder()
        .put(PICK_CHOSEN, why.chosen().endpoint())
        .put(PICK_CONSIDERED, why.considered())
        .put(PICK_ENDPOINTS, List.of(endpoints))
        .put(PICK_SCORES, List.of(scores))
        .put(PICK_VERDICTS, List.of(verdicts))
        .build());
  }

  /** The attempt's URL: the endpoint's scheme, host and port with the logical URL's user, path and query. */
  private static String attemptUrl(Endpoint endpoint, HttpUrl logical) {
    StringBuilder url = new StringBuilder(64).append(endpoint.secure() ? "https://" : "http://");
    if (!logical.encodedUsername().isEmpty()) {
      url.append(logical.encodedUsername());
      if (!logical.encodedPassword().isEmpty()) {
        url.append(':').append(logical.encodedPassword());
      }
      url.append('@');
    }
    url.append(endpoint.address()).append(logical.encodedPath());
    String query = logical.encodedQuery();
    if (query != null) {
      url.append('?').append(query);
    }
    return url.toString();
  }
}
