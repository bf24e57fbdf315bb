package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import io.meshclient.api.Redaction;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one INFO line per logical call on the logger {@value #LOGGER}, with the call's
 * fields as SLF4J key-value pairs ({@code service}, {@code route} (the name of the route the call
 * took, {@code -} for none), {@code method}, {@code path},
 * {@code status}, {@code attempts}, {@code endpoint}, {@code duration_ms}, {@code outcome}; for a
 * failed call {@code error}, and {@code rejected_by} for one that admission refused):
 *
 * <pre>{@code
 * orders GET /orders/42?token=REDACTED -> 200 in 3.2 ms, 1 attempt(s), last to 10.0.0.7:8080
 * }</pre>
 *
 * <p>The query's secret parameters and every URL inside an error message are redacted. Costs
 * nothing while the logger is off for INFO. Thread-safe.
 */
public final class AccessLog implements CallObserver {
  /** The logger's name. */
  public static final String LOGGER = "io.meshclient.access";

  /** The {@code route} of a call that no route of its service took (it went to the whole service). */
  static final String NO_ROUTE = "-";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);
  private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\\s\"'<>]+");

  private final Redaction redaction;
  private final Ticker ticker;

  public AccessLog(Redaction redaction, Ticker ticker) {
    this.redaction = redaction;
    this.ticker = ticker;
  }

  @Override
  public Call start(Cluster cluster, Request request, @Nullable String route) {
    if (!log.isInfoEnabled()) {
      return Call.NONE;
    }
    return new Entry(cluster.service(), route != null ? route : NO_ROUTE, request, ticker.read());
  }

  /**
   * {@code text} with every URL in it redacted (user info, secret query parameters): for exception
   * messages, which may quote a URL.
   */
  public static String redactText(Redaction redaction, @Nullable String text) {
    if (text == null) {
      return "";
    }
    Matcher m = URL.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    do {
      m.appendReplacement(out, Matcher.quoteReplacement(redaction.url(m.group())));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }

  /** The request's path and query, the secrets of the query redacted. */
  public static String target(Redaction redaction, HttpUrl url) {
    String query = url.encodedQuery();
    return query == null ? url.encodedPath() : redaction.url(url.encodedPath() + "?" + query);
  }

  /** A failure as {@code Type: message}, its URLs redacted. */
  static String describe(Redaction redaction, Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getName()
        : failure.getClass().getName() + ": " + redactText(redaction, message);
  }

  private final class Entry implements Call {
    private final String service;
    private final String route;
    private final Request request;
    private final long started;
    private @Nullable String rejectedBy;

    Entry(String service, String route, Request request, long started) {
      this.service = service;
      this.route = route;
      this.request = request;
      this.started = started;
    }

    @Override
    public void rejected(String by) {
      rejectedBy = by;
    }

    @Override
    public void end(@Nullable Response response, @Nullable Throwable failure, int attempts, @Nullable Endpoint endpoint) {
      double millis = (ticker.read() - started) / 1e6;
      String path = target(redaction, request.url());
      String status = response != null ? String.valueOf(response.code()) : "-";
      String address = endpoint != null ? endpoint.address() : "-";
      String duration = String.format(Locale.ROOT, "%.3f", millis);
      String outcome = rejectedBy != null && response == null ? "REJECTED"
          : Outcomes.of(response != null ? response.code() : 0, failure);
      var event = log.atInfo()
          .addKeyValue("service", service)
          .addKeyValue("route", route)
          .addKeyValue("method", request.method())
          .addKeyValue("path", path)
          .addKeyValue("status", status)
          .addKeyValue("attempts", attempts)
          .addKeyValue("endpoint", address)
          .addKeyValue("duration_ms", duration)
          .addKeyValue("outcome", outcome);
      if (rejectedBy != null) {
        event.addKeyValue("rejected_by", rejectedBy);
      }
      if (failure != null) {
        String error = describe(redaction, failure);
        event.addKeyValue("error", error)
            .log("{} {} {} -> {} in {} ms, {} attempt(s), last to {}: {}", service, request.method(), path, outcome,
                duration, attempts, address, error);
      } else {
        event.log("{} {} {} -> {} in {} ms, {} attempt(s), last to {}", service, request.method(), path, status,
            duration, attempts, address);
      }
    }
  }
}
