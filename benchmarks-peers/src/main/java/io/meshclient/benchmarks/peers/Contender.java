package io.meshclient.benchmarks.peers;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One way a service calls the four backends: raw OkHttp, mesh-client, OkHttp through a sidecar
 * proxy, or Spring Cloud LoadBalancer with Resilience4j. The harness drives every contender the same
 * way: blocking calls, one per worker thread, each a {@code GET /} answered with 1 KB.
 *
 * <p>Thread-safe: {@link #call()} runs on many threads at once.
 */
interface Contender extends AutoCloseable {
  /** The name in the {@code RESULT} lines: {@code raw}, {@code mesh}, {@code proxy}, {@code spring}. */
  String name();

  /**
   * Makes one call, reads the whole body and closes the response.
   *
   * @return the index of the backend that answered
   * @throws Exception if the call failed or answered anything but a {@code 200} from a backend
   */
  int call() throws Exception;

  /**
   * CPU the contender burns outside this JVM, in nanoseconds since it started: the proxy's processes
   * for the sidecar hop, 0 for the in-process contenders.
   */
  default long outsideCpuNanos() {
    return 0;
  }

  /** Memory the contender holds outside this JVM (the proxy's resident set), in bytes; 0 if none. */
  default long outsideMemoryBytes() {
    return 0;
  }

  @Override
  void close();

  /** Builds a contender over the backends on {@code ports}. */
  @FunctionalInterface
  interface Factory {
    Contender open(List<Integer> ports) throws IOException;
  }

  /** The backend index in a response's {@value Backend#HEADER} header, or a failure naming what came back. */
  static int backend(int status, String header, int backends) throws IOException {
    if (status != 200) {
      throw new IOException("HTTP " + status + " (expected: 200)");
    }
    int index;
    try {
      index = header == null ? -1 : Integer.parseInt(header);
    } catch (NumberFormatException e) {
      index = -1;
    }
    if (index < 0 || index >= backends) {
      throw new IOException(Backend.HEADER + ": " + header + " (expected: 0 to " + (backends - 1) + ")");
    }
    return index;
  }

  /** Fails unless {@code body} is a whole answer of {@value Backend#BODY_BYTES} bytes. */
  static void checkBody(byte[] body) throws IOException {
    if (body == null || body.length != Backend.BODY_BYTES) {
      throw new IOException("body of " + (body == null ? "null" : body.length + " bytes") + " (expected: "
          + Backend.BODY_BYTES + " bytes)");
    }
  }

  /** The time every contender gives a call in all, as mesh-client's default deadline does. */
  Duration CALL_TIMEOUT = Duration.ofSeconds(10);
}
