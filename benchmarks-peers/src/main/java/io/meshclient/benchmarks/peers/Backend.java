package io.meshclient.benchmarks.peers;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One small loopback HTTP/1.1 backend: a thread per connection, keep-alive, and every request
 * answered {@code 200} with a {@value #BODY_BYTES}-byte body and a {@value #HEADER} header naming the
 * backend. It can be steady, slow ({@link #delay}), failing (a share of its answers {@code 503},
 * {@link #failures}), or dead: it can {@link #kill() die} the way a crashed process does (the listening
 * socket closes, every open connection is reset) and {@link #revive() come back} on the same port.
 *
 * <p>A hand-rolled server rather than the JDK's {@code HttpServer}: a thread per connection answers
 * with no hand-off, so at saturation the backends cost as little CPU as they can, and a crash can
 * reset connections instead of closing them politely. It reads only what the contenders send: a
 * request line, headers and an optional {@code Content-Length} body.
 *
 * <p>Thread-safe.
 */
final class Backend implements AutoCloseable {
  /** The response header naming the backend that answered. */
  static final String HEADER = "X-Backend";

  /** The size of every answer's body: the 1 KB response. */
  static final int BODY_BYTES = 1024;

  private static final int MAX_HEADER_BYTES = 16 * 1024;

  private final int index;
  private final byte[] response;
  private final byte[] failure;
  private final Map<Socket, Thread> connections = new ConcurrentHashMap<>();
  private final LongAdder served = new LongAdder();
  private volatile long delayNanos;
  private volatile double failureShare;
  private volatile ServerSocket listener;
  private final int port;

  private Backend(int index, ServerSocket listener) {
    this.index = index;
    this.listener = listener;
    this.port = listener.getLocalPort();
    byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + BODY_BYTES
        + "\r\n" + HEADER + ": " + index + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[BODY_BYTES];
    Arrays.fill(body, (byte) 'x');
    this.response = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, response, head.length, body.length);
    this.failure = ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n" + HEADER + ": " + index + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Starts backend {@code index} on an ephemeral port of 127.0.0.1. */
  static Backend start(int index) throws IOException {
    if (index < 0) {
      throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
    }
    Backend backend = new Backend(index, listen(0));
    backend.accept(backend.listener);
    return backend;
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
    return socket;
  }

  /** This backend's index, as sent in {@value #HEADER}. */
  int index() {
    return index;
  }

  /** The port it listens on, on 127.0.0.1; the same after a {@link #revive()}. */
  int port() {
    return port;
  }

  /** Requests answered, ever. */
  long served() {
    return served.sum();
  }

  /** Sets how long every answer waits from now on (0: at once). */
  void delay(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("delay: " + nanos + " ns (expected: >= 0)");
    }
    this.delayNanos = nanos;
  }

  /** From now on, answers a share {@code share} (0 to 1) of requests {@code 503} with an empty body. */
  void failures(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("failure share: " + share + " (expected: 0 to 1)");
    }
    this.failureShare = share;
  }

  /** Whether it accepts connections (not {@link #kill() killed}). */
  boolean alive() {
    return !listener.isClosed();
  }

  /**
   * Dies like a crashed process: stops listening, so new connections are refused, and resets every
   * open connection, so requests in flight fail.
   */
  synchronized void kill() {
    closeQuietly(listener);
    connections.keySet().forEach(Backend::reset);
    // A socket closed under a blocked read is released only when the reading thread lets go of it:
    // once those threads have ended, no connection of this backend can answer.
    for (Thread serving : connections.values()) {
      try {
        serving.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Listens again on the same port after a {@link #kill()}; does nothing while alive. */
  synchronized void revive() throws IOException {
    if (alive()) {
      return;
    }
    listener = listen(port);
    accept(listener);
  }

  /** Kills it for good. */
  @Override
  public void close() {
    kill();
  }

  private void accept(ServerSocket socket) {
    Thread acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          connection.setTcpNoDelay(true);
          Thread serving = new Thread(() -> serve(connection), "backend-" + index + "-conn");
          serving.setDaemon(true);
          connections.put(connection, serving);
          if (socket.isClosed()) {
            reset(connection); // accepted as kill() closed the listener, after it reset the others
          }
          serving.start();
        } catch (IOException e) {
          // Closed by kill(), or a connection that failed while being accepted.
        }
      }
    }, "backend-" + index + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void serve(Socket connection) {
    try (connection) {
      InputStream in = new BufferedInputStream(connection.getInputStream(), 8192);
      OutputStream out = connection.getOutputStream();
      byte[] buffer = new byte[MAX_HEADER_BYTES];
      while (true) {
        Request request = readRequest(in, buffer);
        if (request == null) {
          return; // the client closed the connection
        }
        in.skipNBytes(request.contentLength);
        long delay = delayNanos;
        if (delay > 0) {
          sleep(delay);
        }
        served.increment(); // before the answer leaves: a client that has read it sees it counted
        double failing = failureShare;
        out.write(failing > 0 && ThreadLocalRandom.current().nextDouble() < failing ? failure : response);
        out.flush();
        if (request.close) {
          return;
        }
      }
    } catch (IOException e) {
      // Reset by kill(), or the client went away.
    } finally {
      connections.remove(connection);
    }
  }

  /** The simulated service time; the backend's own latency, not a timing in a test. */
  private static void sleep(long nanos) {
    long deadline = System.nanoTime() + nanos;
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  /** What the server needs of a request: its body length and whether the client closes after it. */
  private record Request(long contentLength, boolean close) {}

  /** Reads a request line and headers into {@code buffer}; {@code null} at end of stream before any byte. */
  private static Request readRequest(InputStream in, byte[] buffer) throws IOException {
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (length == 0) {
          return null;
        }
        throw new IOException("connection closed inside a request's headers");
      }
      if (length == buffer.length) {
        throw new IOException("request headers over " + buffer.length + " bytes");
      }
      buffer[length++] = (byte) b;
      if (length >= 4 && buffer[length - 1] == '\n' && buffer[length - 2] == '\r' && buffer[length - 3] == '\n'
          && buffer[length - 4] == '\r') {
        break;
      }
    }
    String head = new String(buffer, 0, length, StandardCharsets.US_ASCII);
    long contentLength = 0;
    boolean close = head.substring(0, head.indexOf("\r\n")).endsWith("HTTP/1.0");
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        contentLength = Long.parseLong(value);
      } else if (name.equals("connection")) {
        close = value.toLowerCase(Locale.ROOT).contains("close");
      } else if (name.equals("transfer-encoding")) {
        throw new IOException("chunked request bodies are not supported: " + value);
      }
    }
    return new Request(contentLength, close);
  }

  /** Closes {@code socket} with an RST rather than a FIN, as the kernel does for a killed process. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // Already closed.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // Nothing to do.
    }
  }

  @Override
  public String toString() {
    return "backend " + index + " on 127.0.0.1:" + port + (alive() ? "" : " (dead)") + ", delay "
        + TimeUnit.NANOSECONDS.toMicros(delayNanos) + " us";
  }
}
