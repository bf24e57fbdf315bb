package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.meshclient.api.Endpoint;
import io.meshclient.api.LoadBalancingPolicy;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An endpoint's breaker changes reach the listener once each, whichever threads saw them. */
class BreakerTransitionsTest {
  private final List<String> reported = new CopyOnWriteArrayList<>();
  private final CircuitBreaker real = CircuitBreaker.of("orders/a", CircuitBreakerConfig.custom()
      .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
      .slidingWindowSize(2)
      .minimumNumberOfCalls(2)
      .failureRateThreshold(50)
      .waitDurationInOpenState(Duration.ofMinutes(1))
      .build());

  @Test
  @Timeout(10)
  void aChangeSeenByTwoThreadsAtOnceIsReportedOnce() throws Exception {
    // Thread "slow" reads the closed state, then stops inside the breaker until "fast" has opened it.
    CountDownLatch slowInside = new CountDownLatch(1);
    CountDownLatch opened = new CountDownLatch(1);
    CircuitBreaker gated = (CircuitBreaker) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {CircuitBreaker.class}, (proxy, method, args) -> {
          if (method.getName().equals("onError") && Thread.currentThread().getName().equals("slow")) {
            slowInside.countDown();
            assertThat(opened.await(5, TimeUnit.SECONDS)).isTrue();
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    EndpointState state = new EndpointState(Endpoint.of("127.0.0.1", 8080), s -> gated,
        (s, from, to) -> reported.add(from + ">" + to),
        new Tuning(LoadBalancingPolicy.ofDefaults(), Ticker.SYSTEM), false);
    assertThat(state.tryAcquire()).isTrue();
    state.onSend();
    state.onFailure(new IOException("first"), 1, false);

    Thread slow = new Thread(() -> {
      state.onSend();
      state.onFailure(new IOException("slow"), 1, false);
    }, "slow");
    slow.start();
    assertThat(slowInside.await(5, TimeUnit.SECONDS)).isTrue();
    state.onSend();
    state.onFailure(new IOException("fast"), 1, false);
    assertThat(real.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    opened.countDown();
    slow.join();

    assertThat(reported).containsExactly("CLOSED>OPEN");
  }

  @Test
  void aResetAfterAReadmissionIsReportedSoTheNextOpeningIsToo() {
    EndpointState state = new EndpointState(Endpoint.of("127.0.0.1", 8080), s -> real,
        (s, from, to) -> reported.add(from + ">" + to),
        new Tuning(LoadBalancingPolicy.ofDefaults(), Ticker.SYSTEM), false);
    assertThat(state.tryAcquire()).isTrue();
    for (int i = 0; i < 2; i++) {
      state.onSend();
      state.onFailure(new IOException("down"), 1, false);
    }
    state.resetBreaker();
    for (int i = 0; i < 2; i++) {
      state.onSend();
      state.onFailure(new IOException("down again"), 1, false);
    }

    assertThat(reported).containsExactly("CLOSED>OPEN", "OPEN>CLOSED", "CLOSED>OPEN");
  }
}
