package io.meshclient.core.deadline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The point in time by which the work on this thread must be done: what is left of the deadline of
 * the request being served. A mesh call made while one is current ends no later than it, whatever
 * its own timeout says, and passes what is left on in its deadline header; so a deadline set at the
 * edge travels through every hop.
 *
 * <p>{@link MeshDeadlineFilter} makes one current for each servlet request that carries the header;
 * other servers use {@link #parse} and {@link #callWith} themselves:
 *
 * <pre>{@code
 * Deadline incoming = Deadline.parse(exchange.getRequestHeaders().getFirst("x-mesh-timeout-ms"));
 * Deadline.callWith(incoming, () -> handle(exchange));
 * }</pre>
 *
 * <p>The current deadline belongs to the thread: work handed to another thread takes it along with
 * {@link #wrap(Runnable)}. Immutable and thread-safe.
 */
public final class Deadline {
  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private final long expiresAtNanos;

  private Deadline(long expiresAtNanos) {
    this.expiresAtNanos = expiresAtNanos;
  }

  /**
   * A deadline {@code timeout} from now. A timeout too long for a {@code long} of nanoseconds
   * (about 292 years) is held as the longest that fits, which no call outlives.
   */
  public static Deadline after(Duration timeout) {
    requireNonNull(timeout, "timeout");
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = timeout.isNegative() ? 0 : Long.MAX_VALUE;
    }
    return new Deadline(System.nanoTime() + Math.max(0, nanos)); // wraps: only differences are read
  }

  /**
   * The deadline a header value gives: relative milliseconds from now, as mesh calls send it; null
   * for a missing, empty, negative or malformed value (a bad header never fails the request). A value
   * too large to count in nanoseconds gives the longest deadline there is, in effect none.
   */
  public static @Nullable Deadline parse(@Nullable String relativeMillis) {
    if (relativeMillis == null || relativeMillis.isBlank()) {
      return null;
    }
    try {
      long millis = Long.parseLong(relativeMillis.trim());
      return millis < 0 ? null : after(Duration.ofMillis(millis));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The deadline current on this thread, or null when none is. */
  public static @Nullable Deadline current() {
    return CURRENT.get();
  }

  /** Runs {@code work} with {@code deadline} current (none if null), then restores the one before. */
  public static <T> T callWith(@Nullable Deadline deadline, Callable<T> work) throws Exception {
    Deadline before = CURRENT.get();
    set(deadline);
    try {
      return work.call();
    } finally {
      set(before);
    }
  }

  /** Runs {@code work} with {@code deadline} current (none if null), then restores the one before. */
  public static void runWith(@Nullable Deadline deadline, Runnable work) {
    Deadline before = CURRENT.get();
    set(deadline);
    try {
      work.run();
    } finally {
      set(before);
    }
  }

  /** {@code work}, made to run with the deadline current now, on whatever thread runs it. */
  public static Runnable wrap(Runnable work) {
    Deadline captured = CURRENT.get();
    return () -> runWith(captured, work);
  }

  private static void set(@Nullable Deadline deadline) {
    if (deadline == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(deadline);
    }
  }

  /** Nanoseconds left; zero or less once expired. */
  public long remainingNanos() {
    return expiresAtNanos - System.nanoTime();
  }

  /** Time left; zero once expired. */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, remainingNanos()));
  }

  /** Whether the deadline has passed. */
  public boolean expired() {
    return remainingNanos() <= 0;
  }

  @Override
  public String toString() {
    return "Deadline{" + remaining().toMillis() + " ms left}";
  }
}
