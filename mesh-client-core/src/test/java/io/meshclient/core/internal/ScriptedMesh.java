package io.meshclient.core.internal;

import static org.awaitility.Awaitility.await;

import io.meshclient.api.EgressPolicy;
import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.Redaction;
import io.meshclient.api.ServicePolicy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * One service over a transport the test answers by hand, with time and the timer under the test's
 * control ({@link ManualTimer}): each request the transport is asked to send waits as an
 * {@link Exchange} until the test answers or fails it (or {@link #answer} answers at once); the
 * observer counts attempts, hedges, budget refusals and each attempt's outcome.
 */
final class ScriptedMesh implements AutoCloseable {
  final ManualTimer timer = new ManualTimer();
  /** Every request the transport was asked to send, in order. */
  final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> heard = new ConcurrentHashMap<>();
  /** Every body the transport handed out, to check that each was closed. */
  final List<TrackedBody> bodies = new CopyOnWriteArrayList<>();
  private volatile Function<Request, @Nullable Object> answer = r -> null;
  private final Cluster cluster;
  private final OkHttpClient client;
  private final OkHttpClient transport;

  ScriptedMesh(ServicePolicy policy, Endpoint... endpoints) {
    cluster = new Cluster("orders", policy, new RoundRobinLoadBalancerFactory().create("orders", policy.loadBalancing()),
        Clock.systemUTC(), timer.ticker(), new Random(7), MeshEventListener.NONE, null,
        RequestKey.of(policy.loadBalancing().hashKey(), null));
    cluster.onEndpoints(EndpointSet.of(endpoints));
    transport = new OkHttpClient.Builder().addInterceptor(chain -> {
      Exchange exchange = new Exchange(chain.request(), chain.call());
      exchanges.add(exchange);
      Object now = answer.apply(chain.request());
      if (now != null) {
        exchange.outcome.complete(now);
      }
      return exchange.await();
    }).build();
    CallObserver observer = (c, request, route) -> new CallObserver.Call() {
      @Override
      public CallObserver.Attempt attempt(int attempt, EndpointState chosen, PickState picks, Request.Builder r,
          boolean hedge) {
        count("attempt");
        if (hedge) {
          count("hedge");
        }
        return (status, failure, nanos) -> count("end:" + Outcomes.of(status, failure));
      }

      @Override
      public void budgetExhausted() {
        count("budget_exhausted");
      }

      @Override
      public void retry(String reason) {
        count("retry");
      }
    };
    MeshSecurity security = MeshSecurity.create(null, Map.of(), Set.of("orders"), EgressPolicy.allowAll(),
        Redaction.ofDefaults(), Clock.systemUTC(), transport);
    MeshInterceptor mesh = new MeshInterceptor(Map.of("orders", cluster), transport, MeshEventListener.NONE,
        timer.ticker(), security, observer, timer);
    OkHttpClient.Builder b = transport.newBuilder();
    b.interceptors().add(0, mesh);
    client = new MeshHttpClient(b, mesh);
  }

  /** Answers each request at once with what {@code answer} gives (a Response or an IOException), or holds it (null). */
  ScriptedMesh answer(Function<Request, @Nullable Object> answer) {
    this.answer = answer;
    return this;
  }

  OkHttpClient client() {
    return client;
  }

  Cluster cluster() {
    return cluster;
  }

  int heard(String what) {
    AtomicInteger n = heard.get(what);
    return n == null ? 0 : n.get();
  }

  private void count(String what) {
    heard.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Enqueues a GET of {@code http://orders/}; the future completes with the status or the failure. */
  CompletableFuture<Integer> enqueue() {
    return enqueue(new Request.Builder().url("http://orders/").build());
  }

  CompletableFuture<Integer> enqueue(Request request) {
    CompletableFuture<Integer> outcome = new CompletableFuture<>();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          outcome.complete(response.code());
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        outcome.completeExceptionally(e);
      }
    });
    return outcome;
  }

  /** Waits until the transport has been asked for {@code n} requests in all, and returns the n-th. */
  Exchange exchange(int n) {
    await().atMost(Duration.ofSeconds(5)).until(() -> exchanges.size() >= n);
    return exchanges.get(n - 1);
  }

  /** A response to {@code request} with {@code code}, its body tracked. */
  Response response(Request request, int code, String... headers) {
    TrackedBody body = new TrackedBody();
    bodies.add(body);
    return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(code).message("x")
        .headers(okhttp3.Headers.of(headers)).body(body).build();
  }

  static <T> T get(CompletableFuture<T> future) throws Throwable {
    try {
      return future.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  @Override
  public void close() {
    exchanges.forEach(e -> e.outcome.complete(new IOException("test over")));
    timer.shutdownNow();
    transport.dispatcher().executorService().shutdown();
  }

  /** One request the transport was asked to send, waiting for the test's answer. */
  final class Exchange {
    final Request request;
    final Call call;
    final CompletableFuture<Object> outcome = new CompletableFuture<>();

    Exchange(Request request, Call call) {
      this.request = request;
      this.call = call;
    }

    void respond(int code, String... headers) {
      outcome.complete(response(request, code, headers));
    }

    void fail(IOException e) {
      outcome.complete(e);
    }

    String host() {
      return request.url().host();
    }

    private Response await() throws IOException {
      while (true) {
        if (call.isCanceled()) {
          throw new IOException("Canceled");
        }
        Object o;
        try {
          o = outcome.get(5, TimeUnit.MILLISECONDS); // woken by the test's answer, or looks at cancellation again
        } catch (TimeoutException e) {
          continue;
        } catch (InterruptedException | ExecutionException e) {
          throw new IOException(e);
        }
        if (o instanceof IOException) {
          throw (IOException) o;
        }
        return (Response) o;
      }
    }
  }

  /** A body that remembers whether it was closed. */
  static final class TrackedBody extends ResponseBody {
    volatile boolean closed;
    private final okio.Buffer content = new okio.Buffer().writeUtf8("body");

    @Override
    public okhttp3.@Nullable MediaType contentType() {
      return null;
    }

    @Override
    public long contentLength() {
      return 4;
    }

    @Override
    public okio.BufferedSource source() {
      return content;
    }

    @Override
    public void close() {
      closed = true;
      content.close();
    }
  }
}
