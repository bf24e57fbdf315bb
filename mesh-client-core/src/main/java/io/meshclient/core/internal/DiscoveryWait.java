package io.meshclient.core.internal;

import java.util.concurrent.ScheduledFuture;
import io.meshclient.api.NoEndpointAvailableException;
import org.jspecify.annotations.Nullable;

/**
 * The wait of one {@link MeshCall} for discovery's first answer, when the service its attempts go
 * to has none yet: within the source's initial window, never past the call's deadline. {@link
 * #block} waits on the calling thread ({@code execute}); {@link #park} holds no thread ({@code
 * enqueue}, or a call resumed after an injected delay): the call is resumed on the mesh's timer when
 * the answer comes or the wait runs out, whichever is first, by {@link
 * MeshCall#resumeAfterDiscovery}, which sends the first attempt or ends the call.
 *
 * <p>Stateless. {@link #block} is called without the call's lock (it blocks); {@link #park} with it
 * held. The answer never resumes a call inline, where the discovery state's lock is held, only
 * through the timer: a call's lock is never taken under a cluster's.
 */
final class DiscoveryWait {
  private DiscoveryWait() {}

  /**
   * For {@code execute}: waits on this thread for {@code discovery}'s first answer, within its
   * initial window and before {@code deadline} (read on {@code ticker}; {@link CallDeadline#NONE} for
   * none). Returns at once if the source has answered or the window has passed.
   */
  static void block(DiscoveryState discovery, long deadline, Ticker ticker) throws NoEndpointAvailableException {
    discovery.awaitFirstAnswer(CallDeadline.timeLeft(deadline, ticker.read()));
  }

  /**
   * For an asynchronous call: registers {@code call} with {@code discovery} to be resumed (on the
   * timer) at its first answer, and arms a timer that resumes it when the wait, bounded by {@code
   * deadline}, runs out. Holds the call's lock.
   *
   * @return the timer bounding the wait, which the call cancels when it ends or resumes; null when
   *     the call may not wait (the source has answered or its window has passed, or the mesh is
   *     closed) and goes on at once
   */
  static @Nullable ScheduledFuture<?> park(MeshCall call, DiscoveryState discovery, long deadline, Ticker ticker) {
    Runnable resume = () -> call.timer(call::resumeAfterDiscovery, 0);
    long wait = discovery.whenAnswered(resume);
    if (wait <= 0) {
      return null;
    }
    return call.timer(() -> {
      discovery.forget(resume);
      call.resumeAfterDiscovery();
    }, CallDeadline.bound(wait, deadline, ticker));
  }
}
