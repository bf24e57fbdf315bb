package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The mesh with neither Micrometer nor OpenTelemetry on the class path: a class loader that sees
 * the test class path without them builds a mesh with the access log, recent decisions and the
 * admin server, and calls through it.
 */
class NoOptionalLibrariesTest {
  @Test
  void theMeshRunsWithoutMicrometerAndOpenTelemetry() throws Exception {
    List<URL> urls = new ArrayList<>();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (!name.startsWith("micrometer-") && !name.startsWith("opentelemetry-") && !name.startsWith("prometheus-")
          && !name.startsWith("context-propagation-")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
          .isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> loader.loadClass("io.opentelemetry.api.OpenTelemetry"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> run = loader.loadClass(Run.class.getName());
      assertThat(run.getClassLoader()).isSameAs(loader);
      @SuppressWarnings("unchecked")
      Callable<String> call = (Callable<String>) run.getDeclaredConstructor().newInstance();

      // ServiceLoader (load balancers, discovery providers) looks in the thread's context loader.
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      thread.setContextClassLoader(loader);
      try {
        assertThat(call.call()).isEqualTo("200 ok, 1 decision(s), /clusters 200, /metrics 404");
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
  }

  /** What runs in the class loader without the optional libraries. */
  public static final class Run implements Callable<String> {
    @Override
    public String call() throws Exception {
      HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      backend.createContext("/", exchange -> {
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      backend.start();
      try (MeshClient mesh = MeshClient.builder()
          .accessLog(true)
          .adminServer(0)
          .service("orders", io.meshclient.api.Endpoint.of("127.0.0.1", backend.getAddress().getPort()))
          .build()) {
        String answer;
        try (okhttp3.Response response = mesh.httpClient()
            .newCall(new okhttp3.Request.Builder().url("http://orders/a").build()).execute()) {
          answer = response.code() + " " + response.body().string();
        }
        int decisions = mesh.snapshot().service("orders").orElseThrow().decisions().size();
        int port = mesh.adminAddress().orElseThrow().getPort();
        return answer + ", " + decisions + " decision(s), /clusters " + status(port, "/clusters")
            + ", /metrics " + status(port, "/metrics");
      } finally {
        backend.stop(0);
      }
    }

    private static int status(int port, String path) throws Exception {
      java.net.HttpURLConnection connection =
          (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      try {
        int code = connection.getResponseCode();
        try (InputStream in = code < 400 ? connection.getInputStream() : connection.getErrorStream()) {
          if (in != null) {
            in.readAllBytes();
          }
        }
        return code;
      } finally {
        connection.disconnect();
      }
    }
  }
}
