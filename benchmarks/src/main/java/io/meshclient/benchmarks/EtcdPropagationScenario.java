package io.meshclient.benchmarks;

import io.meshclient.core.MeshClient;
import io.meshclient.core.MeshSnapshot;
import io.meshclient.discovery.etcd.EtcdDiscovery;
import io.meshclient.discovery.testing.EtcdServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * How long a change made in etcd takes to reach the mesh: starts a real etcd on loopback, a mesh
 * whose service {@code bench} comes from {@link EtcdDiscovery}, then makes N changes one after
 * another (the port of endpoint {@code a}, a new value each time) and times each from just before
 * the write is sent to the moment {@link MeshClient#snapshot()} shows it. Prints the median, p99
 * and max as {@code RESULT} lines, and the same for the write alone (until etcd answered the put,
 * which includes etcd's disk sync): the difference is the watch and the mesh.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am -Pbench -DskipTests package \
 *     -Dbench.mainClass=io.meshclient.benchmarks.EtcdPropagationScenario -Dbench.args="-changes 200"
 * }</pre>
 *
 * <p>Arguments: {@code -changes N} measured changes (200), {@code -warmup N} changes first, not
 * counted (20). Not meant to be used from code; run it as a program.
 */
public final class EtcdPropagationScenario {
  static final String SERVICE = "bench";
  static final String PREFIX = "/bench";
  private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final MediaType JSON = MediaType.get("application/json");

  private EtcdPropagationScenario() {}

  /** Runs the scenario; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    int changes = 200;
    int warmup = 20;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-changes") && i + 1 < args.length) {
        changes = positive("-changes", args[++i]);
      } else if (args[i].equals("-warmup") && i + 1 < args.length) {
        warmup = Integer.parseInt(args[++i]);
      } else if (!args[i].isBlank()) {
        throw new IllegalArgumentException("argument: " + args[i] + " (expected: -changes N, -warmup N, or nothing)");
      }
    }
    for (String line : run(changes, warmup)) {
      System.out.println(line);
    }
  }

  /** Runs {@code warmup + changes} changes and answers the RESULT lines. */
  static List<String> run(int changes, int warmup) throws IOException {
    OkHttpClient http = new OkHttpClient();
    try (EtcdServer etcd = EtcdServer.start();
        EtcdDiscovery discovery = EtcdDiscovery.create(etcd.uri(PREFIX));
        MeshClient mesh = MeshClient.builder().discovery(discovery).service(SERVICE, s -> {}).build()) {
      double[] millis = new double[changes];
      double[] writes = new double[changes];
      for (int i = 0; i < warmup + changes; i++) {
        int port = 10_000 + i;
        long start = System.nanoTime();
        put(http, etcd.clientUrl(), PREFIX + "/" + SERVICE + "/a", "{\"host\":\"127.0.0.1\",\"port\":" + port + "}");
        long written = System.nanoTime();
        while (port(mesh) != port) {
          if (System.nanoTime() - start > GIVE_UP_NANOS) {
            throw new IllegalStateException("change " + i + " did not reach the mesh within 10 s");
          }
          LockSupport.parkNanos(20_000);
        }
        if (i >= warmup) {
          millis[i - warmup] = (System.nanoTime() - start) / 1e6;
          writes[i - warmup] = (written - start) / 1e6;
        }
      }
      return resultLines(millis, writes);
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  /** The RESULT lines of the measured changes; the names are published, keep them stable. */
  static List<String> resultLines(double[] millis, double[] writes) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    double[] sortedWrites = writes.clone();
    Arrays.sort(sortedWrites);
    List<String> lines = new ArrayList<>();
    lines.add(line("discovery.etcd.propagation.ms", BenchmarkMain.median(sorted), "ms"));
    lines.add(line("discovery.etcd.propagation.p99.ms", percentile(sorted, 0.99), "ms"));
    lines.add(line("discovery.etcd.propagation.max.ms", sorted[sorted.length - 1], "ms"));
    lines.add(line("discovery.etcd.write.ms", BenchmarkMain.median(sortedWrites), "ms"));
    lines.add(line("discovery.etcd.write.p99.ms", percentile(sortedWrites, 0.99), "ms"));
    lines.add(String.format(Locale.ROOT, "RESULT discovery.etcd.propagation.changes %d changes", sorted.length));
    return lines;
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static int port(MeshClient mesh) {
    List<MeshSnapshot.EndpointSnapshot> endpoints = mesh.snapshot().service(SERVICE).orElseThrow().endpoints();
    return endpoints.isEmpty() ? -1 : endpoints.get(0).endpoint().port();
  }

  private static void put(OkHttpClient http, String etcd, String key, String value) throws IOException {
    String body = "{\"key\":\"" + base64(key) + "\",\"value\":\"" + base64(value) + "\"}";
    Request request = new Request.Builder().url(etcd + "/v3/kv/put").post(RequestBody.create(body, JSON)).build();
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("etcd answered " + response.code() + " to a put: " + response.body().string());
      }
    }
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static int positive(String name, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + ": " + value + " (expected: a whole number >= 1)");
  }

  private static String line(String name, double value, String unit) {
    return String.format(Locale.ROOT, "RESULT %s %.3f %s", name, value, unit);
  }
}
