package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshclient.api.Endpoint;
import io.meshclient.api.ServicePolicy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two threads cancelling a call at once: its canceled listeners hear of it once. */
class MeshHttpCallCancelTest {
  private static final int ROUNDS = 20_000;

  private final ScriptedMesh mesh = new ScriptedMesh(ServicePolicy.ofDefaults(), Endpoint.of("10.0.0.1", 80));
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @AfterEach
  void close() {
    threads.shutdownNow();
    mesh.close();
  }

  @Test
  void concurrentCancelsFireTheListenersOnce() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Call call = mesh.client().newCall(new Request.Builder().url("http://orders/").build());
      assertThat(call).isInstanceOf(MeshHttpCall.class);
      AtomicInteger heard = new AtomicInteger();
      call.addEventListener(new EventListener() {
        @Override
        public void canceled(Call canceled) {
          heard.incrementAndGet();
        }
      });
      // Both threads are running and spinning when the gate opens, so their cancels overlap.
      CountDownLatch ready = new CountDownLatch(2);
      AtomicBoolean go = new AtomicBoolean();
      Runnable cancel = () -> {
        ready.countDown();
        while (!go.get()) {
          Thread.onSpinWait();
        }
        call.cancel();
      };
      Future<?> first = threads.submit(cancel);
      Future<?> second = threads.submit(cancel);
      ready.await();
      go.set(true);
      first.get();
      second.get();

      assertThat(call.isCanceled()).isTrue();
      assertThat(heard.get()).as("listener calls in round %s", round).isEqualTo(1);
    }
  }
}
