package io.meshclient.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.meshclient.api.AttemptEvent;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardedListenerTest {
  private final Endpoint endpoint = Endpoint.of("10.0.0.1", 80);

  @Test
  void exceptionsFromEitherCallbackStopAtTheGuardAfterTheListenerRan() {
    List<String> heard = new ArrayList<>();
    MeshEventListener guarded = GuardedListener.guard(new MeshEventListener() {
      @Override
      public void onAttemptEnd(AttemptEvent event) {
        heard.add("attempt");
        throw new IllegalStateException("bug");
      }

      @Override
      public void onCircuitStateChange(String service, Endpoint endpoint, String from, String to) {
        heard.add(from + ">" + to);
        throw new IllegalStateException("bug");
      }
    });

    assertThatCode(() -> guarded.onAttemptEnd(new AttemptEvent("orders", endpoint, 0, 200, null, 1))).doesNotThrowAnyException();
    assertThatCode(() -> guarded.onCircuitStateChange("orders", endpoint, "CLOSED", "OPEN")).doesNotThrowAnyException();
    assertThat(heard).containsExactly("attempt", "CLOSED>OPEN");
  }

  @Test
  void theSilentListenerStaysItselfAndGuardingTwiceWrapsOnce() {
    assertThat(GuardedListener.guard(MeshEventListener.NONE)).isSameAs(MeshEventListener.NONE);
    MeshEventListener once = GuardedListener.guard(new MeshEventListener() {});
    assertThat(GuardedListener.guard(once)).isSameAs(once);
  }
}
