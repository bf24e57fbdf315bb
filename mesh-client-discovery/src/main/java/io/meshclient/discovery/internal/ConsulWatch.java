package io.meshclient.discovery.internal;

import io.meshclient.api.EndpointSet;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * The blocking-query loop of one service: asks {@code /v1/health/service/<name>} with the last
 * {@code X-Consul-Index} and a {@code wait}, publishes what comes back, and asks again. Follows
 * Consul's rules for blocking queries: an index that goes backwards resets it to 0 (a fresh,
 * non-blocking query); an index below 1 is taken as 1; consecutive queries start at least
 * {@code minInterval} apart, so a misbehaving agent is never hammered. A failure is reported and
 * retried after a wait that doubles from {@code retryMin} to {@code retryMax}.
 *
 * <p>Runs on OkHttp's dispatcher and the given scheduler; thread-safe.
 */
public final class ConsulWatch {
  /** Everything the loop needs that does not change. */
  public record Settings(OkHttpClient client, HttpUrl base, String consulService, @Nullable String datacenter,
      @Nullable String tag, boolean onlyPassing, boolean secure, @Nullable String token, Duration waitTime,
      Duration minInterval, Duration retryMin, Duration retryMax) {}

  private final String service;
  private final Settings settings;
  private final ServiceWatchers watchers;
  private final ScheduledExecutorService scheduler;
  private long index;
  private int failures;
  private long lastStart;
  private volatile boolean closed;
  private volatile @Nullable Call call;

  public ConsulWatch(String service, Settings settings, ServiceWatchers watchers, ScheduledExecutorService scheduler) {
    this.service = service;
    this.settings = settings;
    this.watchers = watchers;
    this.scheduler = scheduler;
  }

  /** Sends the first query. */
  public void start() {
    next(0);
  }

  /** Stops the loop and cancels the query in flight. */
  public void close() {
    closed = true;
    Call running = call;
    if (running != null) {
      running.cancel();
    }
  }

  /** The index the next query will carry (0: none); for tests. */
  synchronized long index() {
    return index;
  }

  /** The index to keep after a response carried {@code returned}, by Consul's rules. */
  static long nextIndex(long previous, long returned) {
    if (returned < previous) {
      return 0; // went backwards (a snapshot restore, a new leader): start again
    }
    return Math.max(returned, 1); // below 1 a query would not block
  }

  private void next(long delayMillis) {
    if (closed) {
      return;
    }
    try {
      scheduler.schedule(this::send, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // the source is closed
    }
  }

  private synchronized void send() {
    if (closed) {
      return;
    }
    HttpUrl.Builder url = settings.base().newBuilder()
        .addPathSegments("v1/health/service")
        .addPathSegment(settings.consulService());
    if (settings.onlyPassing()) {
      url.addQueryParameter("passing", null);
    }
    if (settings.datacenter() != null) {
      url.addQueryParameter("dc", settings.datacenter());
    }
    if (settings.tag() != null) {
      url.addQueryParameter("tag", settings.tag());
    }
    if (index > 0) {
      url.addQueryParameter("index", Long.toString(index));
      url.addQueryParameter("wait", UriSettings.format(settings.waitTime()));
    }
    Request.Builder request = new Request.Builder().url(url.build());
    if (settings.token() != null) {
      request.header("X-Consul-Token", settings.token());
    }
    lastStart = System.nanoTime();
    Call started = settings.client().newCall(request.build());
    call = started;
    started.enqueue(new Callback() {
      @Override
      public void onResponse(Call c, Response response) {
        try (response) {
          handle(response);
        } catch (IOException e) {
          failed(e);
        }
      }

      @Override
      public void onFailure(Call c, IOException e) {
        failed(new IOException("Consul at " + settings.base() + " unreachable: " + e, e));
      }
    });
  }

  private void handle(Response response) throws IOException {
    ResponseBody body = response.body();
    String text = body.string();
    if (response.code() != 200) {
      throw new IOException("Consul at " + settings.base() + " answered HTTP " + response.code() + " for service '"
          + settings.consulService() + "': " + abbreviate(text));
    }
    EndpointSet endpoints;
    try {
      endpoints = ConsulHealth.parse(text, settings.secure());
    } catch (IOException e) {
      throw new IOException("malformed answer from Consul at " + settings.base() + " for service '"
          + settings.consulService() + "': " + e.getMessage(), e);
    }
    long returned;
    try {
      returned = Long.parseLong(String.valueOf(response.header("X-Consul-Index", "0")).trim());
    } catch (NumberFormatException e) {
      returned = 0;
    }
    long gap;
    synchronized (this) {
      index = nextIndex(index, returned);
      failures = 0;
      long since = System.nanoTime() - lastStart;
      gap = Math.max(0, settings.minInterval().toNanos() - since);
    }
    watchers.publish(service, endpoints);
    next(TimeUnit.NANOSECONDS.toMillis(gap));
  }

  private void failed(IOException e) {
    if (closed) {
      return;
    }
    long wait;
    synchronized (this) {
      failures++;
      Duration d = settings.retryMin();
      for (int i = 1; i < failures && d.compareTo(settings.retryMax()) < 0; i++) {
        d = d.multipliedBy(2);
      }
      wait = Math.min(d.toMillis(), settings.retryMax().toMillis());
    }
    watchers.fail(service, e);
    next(wait);
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }
}
