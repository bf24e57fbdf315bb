package io.meshclient.testkit;

import io.meshclient.api.MeshConfigException;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The consistent-hashing key of each simulated request (what a header, cookie or path would carry
 * for {@code ring_hash} and {@code maglev}), or {@code null} for a request without one.
 *
 * <pre>{@code
 * RequestKeys users = RequestKeys.cycle("user-", 10_000); // user-0, user-1, ..., user-9999, user-0, ...
 * RequestKeys sessions = (request, random) -> "session-" + random.nextInt(500);
 * }</pre>
 *
 * <p>Called from the simulation's one thread; draw randomness only from {@code random}, so that a
 * run replays exactly.
 */
@FunctionalInterface
public interface RequestKeys {
  /** No key: the hashing balancers spread requests at random. */
  RequestKeys NONE = (request, random) -> null;

  /**
   * The key of request number {@code request} (0 for the first).
   *
   * @param random the simulation's seeded random source for keys
   */
  @Nullable String keyOf(long request, RandomGenerator random);

  /** {@code prefix + (request % count)}: every key in turn, over and over. */
  static RequestKeys cycle(String prefix, int count) {
    checkCount(count);
    return (request, random) -> prefix + (request % count);
  }

  /** {@code prefix + n}, {@code n} drawn uniformly from 0..count-1 for each request. */
  static RequestKeys uniform(String prefix, int count) {
    checkCount(count);
    return (request, random) -> prefix + random.nextInt(count);
  }

  private static void checkCount(int count) {
    if (count < 1) {
      throw new MeshConfigException("requestKeys.count", count, ">= 1");
    }
  }
}
