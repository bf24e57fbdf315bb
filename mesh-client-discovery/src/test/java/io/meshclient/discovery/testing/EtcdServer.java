package io.meshclient.discovery.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real etcd server (Debian's {@code etcd-server} package) on 127.0.0.1 with free client and
 * peer ports and a data directory of its own, for integration tests and load scenarios. It can be
 * stopped and started again on the same ports and data (an outage), and {@link #close()} stops it
 * and deletes the directory.
 *
 * <pre>{@code
 * try (EtcdServer etcd = EtcdServer.start()) {
 *   URI uri = etcd.uri("/mesh/services");   // etcd://127.0.0.1:<port>/mesh/services
 * }
 * }</pre>
 *
 * <p>If no {@code etcd} binary is on the PATH, it installs the package when running as root on a
 * machine with apt-get, and otherwise fails with a message naming the package. It never skips.
 */
public final class EtcdServer implements AutoCloseable {
  /** The Debian packages that hold {@code etcd} and {@code etcdctl}. */
  public static final String PACKAGES = "etcd-server etcd-client";

  private static final long HEALTH_WAIT_MILLIS = 20_000;

  private final String binary;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  private EtcdServer(String binary, Path dataDir, int clientPort, int peerPort) {
    this.binary = binary;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** Starts a fresh etcd and waits until {@code /health} answers. */
  public static EtcdServer start() throws IOException {
    String binary = binary();
    IOException last = null;
    // Free ports are looked up, then bound by etcd: another process may take one in between.
    for (int attempt = 0; attempt < 3; attempt++) {
      EtcdServer server = new EtcdServer(binary, Files.createTempDirectory("mesh-etcd-"), freePort(), freePort());
      try {
        server.launch();
        return server;
      } catch (IOException e) {
        server.close();
        last = e;
      }
    }
    throw last;
  }

  /** {@code http://127.0.0.1:<client port>}. */
  public String clientUrl() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** The client port. */
  public int clientPort() {
    return clientPort;
  }

  /** {@code etcd://127.0.0.1:<client port><prefix>}, plus {@code query} if given. */
  public URI uri(String prefix, String... query) {
    return URI.create("etcd://127.0.0.1:" + clientPort + prefix + (query.length == 0 ? "" : "?" + String.join("&", query)));
  }

  /** Kills the server (as a crash would), keeping its data and ports for {@link #restart()}. */
  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  /** Starts the server again on the same ports and data. */
  public synchronized void restart() throws IOException {
    stop0();
    launch();
  }

  /** Whether the server process is running. */
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  private void stop0() throws IOException {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping etcd", e);
    }
  }

  private synchronized void launch() throws IOException {
    String client = "http://127.0.0.1:" + clientPort;
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = new ArrayList<>(List.of(binary,
        "--name", "mesh-test",
        "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "mesh-test=" + peer,
        "--log-level", "warn"));
    File log = dataDir.resolve("etcd.log").toFile();
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HEALTH_WAIT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("etcd exited with " + process.exitValue() + " on " + client + ": " + tail(log));
      }
      if (healthy()) {
        return;
      }
      try {
        Thread.sleep(20); // polling a starting process, not timing a test
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for etcd", e);
      }
    }
    process.destroyForcibly();
    throw new IOException("etcd on " + client + " did not answer /health within " + HEALTH_WAIT_MILLIS + " ms: " + tail(log));
  }

  private boolean healthy() {
    try {
      HttpURLConnection connection = (HttpURLConnection) new URL(clientUrl() + "/health").openConnection();
      connection.setConnectTimeout(200);
      connection.setReadTimeout(1000);
      try {
        return connection.getResponseCode() == 200
            && new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("\"true\"");
      } finally {
        connection.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public void close() {
    try {
      stop0();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(dataDir);
    }
  }

  @Override
  public String toString() {
    return "etcd on " + clientUrl();
  }

  /** The etcd binary: from the PATH, installed first when missing and allowed ({@link DebianPackage}). */
  static String binary() throws IOException {
    return DebianPackage.binary("etcd", PACKAGES.split(" "));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tail(File log) {
    try {
      List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
