package io.meshclient.examples;

import io.meshclient.api.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * What one endpoint went through, as the mesh's attempt events tell it: totals since the start,
 * and the current window (requests, errors, latency samples, breaker changes) that the table
 * {@linkplain #roll() rolls over} once a second.
 *
 * <p>Thread-safe: listener threads record while the table's thread rolls. Recording is lock-free;
 * an event that races a roll may land in the window just read, so it can miss the table, never
 * the totals.
 */
final class EndpointCounters {
  private final Endpoint endpoint;
  private final String role;
  private final LongAdder requests = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
  private final LongAdder breakerOpenings = new LongAdder();
  private final AtomicReference<Window> window = new AtomicReference<>(new Window());
  private @Nullable String breaker; // guarded by this

  EndpointCounters(Endpoint endpoint, String role) {
    this.endpoint = endpoint;
    this.role = role;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  String role() {
    return role;
  }

  /** One attempt to this endpoint ended after {@code nanos}; {@code error} for an I/O failure or a 5xx. */
  void record(long nanos, boolean error) {
    Window current = window.get();
    current.requests.increment();
    current.nanos.add(nanos);
    requests.increment();
    totalNanos.add(nanos);
    maxNanos.accumulate(nanos);
    if (error) {
      current.errors.increment();
      errors.increment();
    }
  }

  /**
   * The breaker moved from {@code from} to {@code state}. Changes are serialised so that the path
   * recorded follows the breaker's real order, even when attempts end on several threads at once.
   */
  synchronized void observeBreaker(String from, String state) {
    breaker = state;
    Queue<String> path = window.get().breakerPath;
    if (path.isEmpty()) {
      path.add(from);
    }
    path.add(state);
    if (state.equals("OPEN")) {
      breakerOpenings.increment();
    }
  }

  /**
   * Closes the current window, starts a new one, and returns what the closed one saw. Serialised
   * with {@link #observeBreaker}, so a breaker change lands whole in one window or the next.
   */
  synchronized Second roll() {
    Window closed = window.getAndSet(new Window());
    long[] sorted = closed.nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Second(closed.requests.sum(), closed.errors.sum(), percentile(sorted, 50), percentile(sorted, 99),
        List.copyOf(closed.breakerPath));
  }

  /** The totals since the start, with the breaker in {@code breakerNow}. */
  DemoSummary.EndpointTotal total(String breakerNow) {
    long count = requests.sum();
    Duration mean = Duration.ofNanos(count == 0 ? 0 : totalNanos.sum() / count);
    return new DemoSummary.EndpointTotal(endpoint.address(), role, count, errors.sum(), mean,
        Duration.ofNanos(maxNanos.get()), breakerOpenings.sum(), breakerNow);
  }

  /** The nearest-rank percentile of sorted samples, or {@code null} when there are none. */
  static @Nullable Duration percentile(long[] sorted, int percent) {
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return Duration.ofNanos(sorted[Math.max(rank, 1) - 1]);
  }

  /**
   * One closed window.
   *
   * @param requests attempts that ended in the window
   * @param errors those that failed (I/O error or 5xx)
   * @param p50 the median attempt latency, {@code null} without attempts
   * @param p99 the 99th percentile attempt latency, {@code null} without attempts
   * @param breakerPath the breaker states seen in order, e.g. {@code [OPEN, HALF_OPEN, OPEN]};
   *     empty when the breaker did not change
   */
  record Second(long requests, long errors, @Nullable Duration p50, @Nullable Duration p99, List<String> breakerPath) {}

  private static final class Window {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final Queue<Long> nanos = new ConcurrentLinkedQueue<>();
    final Queue<String> breakerPath = new ConcurrentLinkedQueue<>();
  }
}
