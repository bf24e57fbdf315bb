package io.meshclient.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Which failures {@link RetryRule#reset()} takes for a broken connection, and which it leaves alone.
 * OkHttp's own stream reset and connection shutdown are checked in the core, which has OkHttp.
 */
class RetryRuleResetTest {
  private static RetryRule.Outcome failed(IOException failure, boolean connectFailure, boolean timedOut) {
    return new RetryRule.Outcome() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public int statusCode() {
        return 0;
      }

      @Override
      public @Nullable String header(String name) {
        return null;
      }

      @Override
      public IOException failure() {
        return failure;
      }

      @Override
      public boolean connectFailure() {
        return connectFailure;
      }

      @Override
      public boolean timedOut() {
        return timedOut;
      }
    };
  }

  private static boolean reset(IOException failure) {
    return RetryRule.reset().shouldRetry(failed(failure, false, false));
  }

  @Test
  void aSocketErrorIsAReset() {
    assertThat(reset(new SocketException("Connection reset"))).isTrue();
    assertThat(reset(new SocketException("Broken pipe"))).isTrue();
  }

  @Test
  void anEndOfStreamIsAReset() {
    assertThat(reset(new EOFException())).isTrue();
    // How OkHttp reports a connection closed before the response headers.
    assertThat(reset(new IOException("unexpected end of stream on http://orders/...",
        new EOFException("\\n not found: limit=0")))).isTrue();
  }

  @Test
  void aTlsErrorIsNotAReset() {
    assertThat(reset(new SSLException("Unsupported or unrecognized SSL message"))).isFalse();
    // A handshake cut short wraps an end of stream: still a TLS failure.
    assertThat(reset(new SSLHandshakeException("Remote host terminated the handshake") {
      {
        initCause(new EOFException("SSL peer shut down incorrectly"));
      }
    })).isFalse();
  }

  @Test
  void aProtocolErrorOrAPlainIoErrorIsNotAReset() {
    assertThat(reset(new ProtocolException("Unexpected status line: garbage"))).isFalse();
    assertThat(reset(new IOException("Canceled"))).isFalse();
  }

  @Test
  void timeoutsAndConnectFailuresAreNotResets() {
    assertThat(RetryRule.reset().shouldRetry(failed(new SocketTimeoutException("timeout"), false, true))).isFalse();
    assertThat(RetryRule.reset().shouldRetry(failed(new InterruptedIOException("timeout"), false, true))).isFalse();
    assertThat(RetryRule.reset().shouldRetry(failed(new ConnectException("Connection refused"), true, false)))
        .isFalse();
  }

  @Test
  void aCauseCycleEndsTheSearch() {
    IOException a = new IOException("a");
    IOException b = new IOException("b", a);
    a.initCause(b);
    assertThat(reset(a)).isFalse();
  }
}
