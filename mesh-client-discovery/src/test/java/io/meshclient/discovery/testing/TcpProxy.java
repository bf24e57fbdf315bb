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
 * also stops listening, so new connections are refused (an outage), until {@link #accept()}
 * listens on the same port again.
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
  private final int port;
  private volatile ServerSocket server;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();

  private TcpProxy(int target) throws IOException {
    this.target = target;
    this.server = listen(0);
    this.port = server.getLocalPort();
    startAccepting(server);
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    return socket;
  }

  private void startAccepting(ServerSocket socket) {
    Thread acceptor = new Thread(() -> acceptLoop(socket), "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy to {@code 127.0.0.1:targetPort}. */
  public static TcpProxy to(int targetPort) throws IOException {
    return new TcpProxy(targetPort);
  }

  /** The proxy's own port on 127.0.0.1. */
  public int port() {
    return port;
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

  /** Stops listening and cuts every open connection: connections are refused until {@link #accept()}. */
  public synchronized void refuse() throws IOException {
    server.close();
    drop();
  }

  /** Listens on the same port again. */
  public synchronized void accept() throws IOException {
    if (server.isClosed()) {
      server = listen(port);
      startAccepting(server);
    }
  }

  private void acceptLoop(ServerSocket listening) {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
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
  public synchronized void close() throws IOException {
    server.close();
    drop();
  }
}
