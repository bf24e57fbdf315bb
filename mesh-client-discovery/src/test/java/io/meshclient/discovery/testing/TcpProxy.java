package io.meshclient.discovery.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on a loopback port, for tests that need the network between a client and its
 * server to fail: {@link #drop()} cuts every open connection (a watch drops), {@link #refuse()}
 * also turns new connections away (an outage) until {@link #accept()}.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.to(serverPort)) {
 *   client talks to 127.0.0.1:proxy.port() ...
 *   proxy.refuse(); ... proxy.accept();
 * }
 * }</pre>
 *
 * <p>Thread-safe; two daemon threads per connection pump the bytes.
 */
public final class TcpProxy implements AutoCloseable {
  private final int target;
  private final ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean refusing;

  private TcpProxy(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy to {@code 127.0.0.1:targetPort}. */
  public static TcpProxy to(int targetPort) throws IOException {
    return new TcpProxy(targetPort);
  }

  /** The proxy's own port on 127.0.0.1. */
  public int port() {
    return server.getLocalPort();
  }

  /** How many connections were forwarded so far. */
  public int connections() {
    return accepted.get();
  }

  /** Cuts every open connection; new ones are still forwarded. */
  public void drop() {
    for (Socket socket : open) {
      closeQuietly(socket);
    }
    open.clear();
  }

  /** Cuts every open connection and closes new ones at once, until {@link #accept()}. */
  public void refuse() {
    refusing = true;
    drop();
  }

  /** Forwards new connections again. */
  public void accept() {
    refusing = false;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (refusing) {
          closeQuietly(client);
          continue;
        }
        Socket upstream = new Socket();
        try {
          upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
        } catch (IOException e) {
          closeQuietly(client);
          closeQuietly(upstream);
          continue;
        }
        open.add(client);
        open.add(upstream);
        accepted.incrementAndGet();
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    drop();
  }
}
