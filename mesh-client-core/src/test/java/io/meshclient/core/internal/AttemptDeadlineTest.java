package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deadline's task is fired by hand here ({@link AttemptDeadline#run}), as the timer would: no test waits for time. */
class AttemptDeadlineTest {
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient client = new OkHttpClient();
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

  @BeforeEach
  void setUp() throws IOException {
    timer.setRemoveOnCancelPolicy(true);
    server.start();
  }

  @AfterEach
  void tearDown() {
    timer.shutdownNow();
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void theTimerKeepsTheTaskUntilTheBodyIsClosedThenNothing() throws Exception {
    server.enqueue(new MockResponse.Builder().body("hello").build());
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());
    AttemptDeadline deadline = AttemptDeadline.arm(timer, call, TimeUnit.SECONDS.toNanos(10));

    try (Response response = call.execute()) {
      assertThat(timer.getQueue()).as("armed while the body is open").hasSize(1);
      assertThat(response.body().string()).isEqualTo("hello");
    }

    assertThat(timer.getQueue()).as("withdrawn when the call ended").isEmpty();
    assertThat(deadline.expired()).isFalse();
  }

  @Test
  void aFailedCallWithdrawsItsTask() throws Exception {
    server.close(); // nothing listens: the connection is refused
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());
    AttemptDeadline deadline = AttemptDeadline.arm(timer, call, TimeUnit.SECONDS.toNanos(10));

    assertThatThrownBy(call::execute).isInstanceOf(IOException.class);

    assertThat(timer.getQueue()).isEmpty();
    IOException refused = new IOException("refused");
    assertThat(deadline.explain(refused)).as("not the deadline's doing").isSameAs(refused);
  }

  @Test
  void firedWhileTheBodyIsReadItCancelsTheCallAndExplainsTheFailureAsATimeout() throws Exception {
    server.enqueue(new MockResponse.Builder().body("late").bodyDelay(30, TimeUnit.SECONDS).build());
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());
    AttemptDeadline deadline = AttemptDeadline.arm(timer, call, TimeUnit.SECONDS.toNanos(10));

    try (Response response = call.execute()) {
      deadline.run(); // the time is up while the body has not come
      IOException failure = null;
      try {
        response.body().string();
      } catch (IOException e) {
        failure = e;
      }
      assertThat(failure).as("the read is cut short").isNotNull();
      assertThat(call.isCanceled()).isTrue();
      assertThat(deadline.expired()).isTrue();
      IOException explained = deadline.explain(failure);
      assertThat(explained).isInstanceOf(InterruptedIOException.class).hasMessage("timeout").hasCause(failure);
      assertThat(CallRules.isTimeout(explained)).isTrue();
    }
    assertThat(timer.getQueue()).isEmpty();
  }

  @Test
  void firedBeforeTheCallStartsItFailsTheCallAsATimeout() {
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());
    AttemptDeadline deadline = AttemptDeadline.arm(timer, call, TimeUnit.SECONDS.toNanos(10));
    deadline.run();

    assertThatThrownBy(call::execute)
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(deadline.explain((IOException) e)).hasMessage("timeout"));
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void firedAfterTheCallEndedItDoesNothing() throws Exception {
    server.enqueue(new MockResponse.Builder().body("done").build());
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());
    AttemptDeadline deadline = AttemptDeadline.arm(timer, call, TimeUnit.SECONDS.toNanos(10));
    try (Response response = call.execute()) {
      response.body().string();
    }

    deadline.run();

    assertThat(deadline.expired()).isFalse();
    assertThat(call.isCanceled()).isFalse();
  }

  @Test
  void withTheTimerShutDownOkHttpsOwnTimeoutBoundsTheCall() {
    timer.shutdownNow(); // the mesh is closing
    Call call = client.newCall(new Request.Builder().url(server.url("/")).build());

    AttemptDeadline.arm(timer, call, TimeUnit.SECONDS.toNanos(3));

    assertThat(call.timeout().timeoutNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(3));
  }
}
