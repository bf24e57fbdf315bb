package io.meshclient.core;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what the test's log lines print. The tests log through slf4j-simple, which writes each
 * line to the current {@code System.err}; this swaps in a copy that also keeps the text.
 */
final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream original;

  @Override
  public void beforeEach(ExtensionContext context) {
    original = System.err;
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (captured) {
          captured.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (captured) {
          captured.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(original);
  }

  /** Everything logged since the test began. */
  String text() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** How many captured lines contain {@code fragment}. */
  long lines(String fragment) {
    return text().lines().filter(line -> line.contains(fragment)).count();
  }
}
