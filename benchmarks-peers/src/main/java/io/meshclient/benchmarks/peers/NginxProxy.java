package io.meshclient.benchmarks.peers;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.meshclient.discovery.testing.DebianPackage;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local nginx (Debian's package) as the sidecar: a reverse proxy on a loopback port in front of the
 * backends, doing the balancing and the retries a sidecar does. It is configured the way a mesh's
 * sidecar is by default: least-request balancing ({@code least_conn}, as Istio's default
 * {@code LEAST_REQUEST}), a failed upstream marked down for 10 s after one failure (nginx's passive
 * health check), a failed attempt retried on the next upstream up to 3 attempts in all (Istio retries
 * twice by default), keep-alive both to the client and to the backends, no access log, and a worker
 * per core.
 *
 * <p>Started by {@link #start}; found on the {@code PATH} or in {@code /usr/sbin}, installed with
 * {@code apt-get} when missing and running as root (the benchmark's setup), and otherwise refused
 * with a message naming the package.
 */
final class NginxProxy implements AutoCloseable {
  /** The Debian package this needs. */
  static final String PACKAGE = "nginx";

  private static final Duration START = Duration.ofSeconds(20);

  private final Process process;
  private final Path prefix;
  private final int port;

  private NginxProxy(Process process, Path prefix, int port) {
    this.process = process;
    this.prefix = prefix;
    this.port = port;
  }

  /** Whether an nginx binary is on this machine (without installing one). */
  static boolean available() {
    return DebianPackage.find("nginx") != null;
  }

  /** Starts nginx in front of the backends on {@code ports}, on a free loopback port. */
  static NginxProxy start(List<Integer> ports) throws IOException {
    String binary = binary();
    Path prefix = Files.createTempDirectory("mesh-peers-nginx");
    int port = freePort();
    Files.createDirectories(prefix.resolve("tmp"));
    Files.writeString(prefix.resolve("nginx.conf"), config(ports, port), UTF_8);
    Process process = new ProcessBuilder(binary, "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
        "-e", prefix.resolve("error.log").toString())
        .redirectErrorStream(true)
        .redirectOutput(prefix.resolve("stdout.log").toFile())
        .start();
    NginxProxy proxy = new NginxProxy(process, prefix, port);
    try {
      proxy.awaitListening();
      return proxy;
    } catch (IOException | RuntimeException e) {
      proxy.close();
      throw e;
    }
  }

  /** The configuration: one server on {@code port}, one upstream over {@code ports}. */
  static String config(List<Integer> ports, int port) {
    boolean root = "root".equals(System.getProperty("user.name"));
    StringBuilder upstream = new StringBuilder();
    for (int backend : ports) {
      upstream.append("    server 127.0.0.1:").append(backend).append(" max_fails=1 fail_timeout=10s;\n");
    }
    return (root ? "user root;\n" : "") + """
        worker_processes auto;
        daemon off;
        pid nginx.pid;
        events {
          worker_connections 4096;
        }
        http {
          access_log off;
          client_body_temp_path tmp/body;
          proxy_temp_path tmp/proxy;
          fastcgi_temp_path tmp/fastcgi;
          uwsgi_temp_path tmp/uwsgi;
          scgi_temp_path tmp/scgi;
          keepalive_timeout 60s;
          keepalive_requests 1000000;
          upstream backend {
            zone backend 64k;
            least_conn;
        %s    keepalive 256;
            keepalive_requests 1000000;
          }
          server {
            listen 127.0.0.1:%d;
            location / {
              proxy_pass http://backend;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_next_upstream error timeout http_502 http_503 http_504;
              proxy_next_upstream_tries 3;
              proxy_connect_timeout 1s;
            }
          }
        }
        """.formatted(upstream, port);
  }

  /** The port it listens on, on 127.0.0.1. */
  int port() {
    return port;
  }

  /** CPU time of nginx's master and workers since they started, in nanoseconds. */
  long cpuNanos() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .mapToLong(handle -> handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
        .sum();
  }

  /** The resident memory of nginx's master and workers, in bytes (from {@code /proc}; 0 where there is none). */
  long residentBytes() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .mapToLong(handle -> residentBytes(handle.pid()))
        .sum();
  }

  private static long residentBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone, or no /proc.
    }
    return 0;
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("nginx exited with " + process.exitValue() + ": " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
        return;
      } catch (IOException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new IOException("nginx not listening on " + port + " after " + START + ": " + log(), e);
        }
      }
      try {
        process.waitFor(20, TimeUnit.MILLISECONDS); // returns at once if nginx exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while nginx started", e);
      }
    }
  }

  private String log() {
    try {
      return Files.readString(prefix.resolve("error.log"), UTF_8).strip();
    } catch (IOException e) {
      return "(no error.log)";
    }
  }

  /** Stops nginx (SIGTERM, then SIGKILL) and deletes its directory. */
  @Override
  public void close() {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    workers.forEach(ProcessHandle::destroyForcibly);
    try (Stream<Path> files = Files.walk(prefix)) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // Left in the temp directory.
    }
  }

  /** The nginx binary: on the PATH or in /usr/sbin, installed first when missing and allowed ({@link DebianPackage}). */
  static String binary() throws IOException {
    return DebianPackage.binary("nginx", PACKAGE);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
