package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * With DEBUG on for {@code io.meshclient.pick}, every attempt's pick is explained in the log. The
 * logging back-end (slf4j-simple) reads its levels once, so the mesh runs in a class loader of its
 * own, whose back-end starts with that logger at DEBUG.
 */
class PickDebugLogTest {
  private static final String LEVEL = "org.slf4j.simpleLogger.log." + RecentDecisions.LOGGER;

  @Test
  void everyAttemptsPickIsExplainedAtDebug() throws Exception {
    List<URL> urls = new ArrayList<>();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator)) {
      urls.add(new File(entry).toURI().toURL());
    }
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    String port;
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      System.setProperty(LEVEL, "debug");
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      thread.setContextClassLoader(loader);
      @SuppressWarnings("unchecked")
      Callable<String> run = (Callable<String>) loader.loadClass(Run.class.getName()).getDeclaredConstructor().newInstance();
      port = run.call();
    } finally {
      thread.setContextClassLoader(previous);
      System.setErr(err);
      System.clearProperty(LEVEL);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    err.print(log);
    // peak_ewma: the first call finds both idle (equal scores); the second passes over the one that
    // answered, whose latency is now known, on its score.
    assertThat(picks(log, "orders")).hasSize(2).satisfiesExactly(
        line -> assertThat(line).containsPattern(OVER + "not_picked \\(score 0\\)$"),
        line -> assertThat(line).containsPattern(OVER + "higher_score \\(score [1-9]\\d*\\)$"));
    // round_robin never looks at scores: whatever they are, the other endpoint was just not its turn.
    assertThat(picks(log, "catalog")).hasSize(2).satisfiesExactly(
        line -> assertThat(line).containsPattern(OVER + "not_picked \\(score 0\\)$"),
        line -> assertThat(line).containsPattern(OVER + "not_picked \\(score [1-9]\\d*\\)$"));
    assertThat(log).contains("127.0.0.1:" + port);
  }

  private static final String OVER = "(127\\.0\\.0\\.1|localhost):\\d+ \\(score 0\\) over (127\\.0\\.0\\.1|localhost):\\d+ ";

  private static List<String> picks(String log, String service) {
    return log.lines().filter(l -> l.contains("DEBUG " + RecentDecisions.LOGGER + " - pick: attempt 0 of " + service + ": "))
        .toList();
  }

  /**
   * Two calls to each of two services of two endpoints (one balanced by peak EWMA, one round
   * robin), in the class loader whose log is at DEBUG.
   */
  public static final class Run implements Callable<String> {
    @Override
    public String call() throws Exception {
      HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      backend.createContext("/", exchange -> {
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      backend.start();
      int port = backend.getAddress().getPort();
      try (MeshClient mesh = MeshClient.builder()
          .recentDecisions(0)
          .service("orders", io.meshclient.api.Endpoint.of("127.0.0.1", port), io.meshclient.api.Endpoint.of("localhost", port))
          .service("catalog", s -> s.loadBalancer("round_robin")
              .endpoints(io.meshclient.api.Endpoint.of("127.0.0.1", port), io.meshclient.api.Endpoint.of("localhost", port)))
          .build()) {
        for (String service : List.of("orders", "catalog")) {
          for (int i = 0; i < 2; i++) {
            mesh.httpClient().newCall(new okhttp3.Request.Builder().url("http://" + service + "/a").build()).execute().close();
          }
        }
      } finally {
        backend.stop(0);
      }
      return String.valueOf(port);
    }
  }
}
