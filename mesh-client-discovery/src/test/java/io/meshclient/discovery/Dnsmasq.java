package io.meshclient.discovery;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real DNS server for tests: Debian's dnsmasq on 127.0.0.1 and a free port, answering only from
 * the records it is given (host-record, srv-host, ...) for names under {@code mesh.test}. Install it
 * with {@code apt-get install -y --no-install-recommends dnsmasq-base} ({@code .ci/run} does).
 */
final class Dnsmasq implements AutoCloseable {
  private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/bin/dnsmasq"),
      Path.of("/usr/local/sbin/dnsmasq"));

  private final Path dir;
  private final int port;
  private Process process;

  private Dnsmasq(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts dnsmasq serving {@code records} (dnsmasq configuration lines). */
  static Dnsmasq start(Path dir, String... records) throws IOException {
    Dnsmasq dnsmasq = new Dnsmasq(dir, freePort());
    dnsmasq.run(records);
    return dnsmasq;
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** {@code 127.0.0.1:port}, for URIs. */
  String authority() {
    return "127.0.0.1:" + port;
  }

  /** Serves {@code records} from now on: dnsmasq reads its configuration only at start, so it restarts on the same port. */
  void serve(String... records) throws IOException {
    stop();
    run(records);
  }

  /** Stops answering: queries time out or are refused, as with a DNS server that is down. */
  void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void run(String... records) throws IOException {
    Path config = dir.resolve("dnsmasq.conf");
    StringBuilder conf = new StringBuilder()
        .append("port=").append(port).append('\n')
        .append("listen-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nno-negcache\n")
        .append("local=/mesh.test/\n");
    for (String record : records) {
      conf.append(record).append('\n');
    }
    Files.writeString(config, conf);
    process = new ProcessBuilder(binary().toString(), "--keep-in-foreground", "--conf-file=" + config,
        "--pid-file=", "--log-facility=-")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("dnsmasq.log").toFile())
        .start();
    // Ready once it answers a query.
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("dnsmasq exited: " + Files.readString(dir.resolve("dnsmasq.log")));
      }
      SimpleResolver resolver = new SimpleResolver(address());
      resolver.setTimeout(Duration.ofMillis(200));
      Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("ready.mesh.test."), Type.A, DClass.IN)));
      return answer != null;
    });
  }

  private static Path binary() {
    for (Path candidate : BINARIES) {
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("dnsmasq not found in " + BINARIES
        + ": install it with apt-get install -y --no-install-recommends dnsmasq-base (.ci/run does)");
  }

  /** A port free for both UDP and TCP on the loopback address. */
  private static int freePort() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int i = 0; i < 20; i++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, loopback)) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(port, loopback)) {
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on 127.0.0.1");
  }
}
