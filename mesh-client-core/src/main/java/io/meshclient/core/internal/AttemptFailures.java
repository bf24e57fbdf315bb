package io.meshclient.core.internal;

import io.meshclient.api.DeadlineExceededException;
import io.meshclient.api.RetriesExhaustedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * What the failed attempts of one {@link MeshCall} left behind: every failure, in order, for the
 * one the call ends with (the others suppressed under it), and the last retryable answer (a 503,
 * say), kept open as the fallback the call hands back if no later attempt does better. A fallback
 * replaced, or closed before another attempt goes, has its body closed: nothing leaks.
 *
 * <p>Not thread-safe on its own: guarded by the call's lock, which every caller holds.
 */
final class AttemptFailures {
  private final String service;
  private @Nullable Response fallback;
  private @Nullable List<IOException> failures;

  AttemptFailures(String service) {
    this.service = service;
  }

  /** Records an attempt's failure (a retryable answer counts as one too). */
  void add(IOException failure) {
    if (failures == null) {
      failures = new ArrayList<>(2);
    }
    failures.add(failure);
  }

  /** The failure recorded last, or null when there is none. */
  @Nullable IOException last() {
    return failures == null || failures.isEmpty() ? null : failures.get(failures.size() - 1);
  }

  /** Adds every failure recorded, but {@code except}, as suppressed under {@code e}. */
  void suppressUnder(Throwable e, @Nullable Throwable except) {
    if (failures != null) {
      failures.stream().filter(f -> f != except).forEach(e::addSuppressed);
    }
  }

  /** The call's failure after {@code attempts}, all failed: the last failure, with the others under it. */
  RetriesExhaustedException exhausted(int attempts) {
    IOException last = last();
    RetriesExhaustedException e = new RetriesExhaustedException(service, attempts, last);
    suppressUnder(e, last);
    return e;
  }

  /** The call's failure at its deadline, {@code timeout} after it began, with the failures under it. */
  DeadlineExceededException deadlineExceeded(Duration timeout, int attempts) {
    IOException cause = last();
    DeadlineExceededException e = new DeadlineExceededException(service, timeout, attempts, cause);
    suppressUnder(e, cause);
    return e;
  }

  /** {@code e}, with every failure recorded suppressed under it: the call's failure. */
  <E extends Throwable> E under(E e) {
    suppressUnder(e, null);
    return e;
  }

  /**
   * Records attempt {@code a}'s retryable answer {@code response} as a failure, and keeps it as the
   * fallback (the one kept before is closed).
   */
  void keepRetryableAnswer(Attempt a, Response response) {
    add(new IOException("attempt " + (a.number + 1) + " to " + a.endpoint.endpoint().address()
        + " answered HTTP " + response.code()));
    keepFallback(response);
  }

  /** Keeps {@code response} as the fallback, closing the one kept before. */
  void keepFallback(Response response) {
    closeFallback();
    fallback = response;
  }

  boolean hasFallback() {
    return fallback != null;
  }

  /** The fallback, which the caller now owns; null when there is none. */
  @Nullable Response takeFallback() {
    Response r = fallback;
    fallback = null;
    return r;
  }

  /** Closes the fallback's body, if one is kept. */
  void closeFallback() {
    if (fallback != null) {
      fallback.close();
      fallback = null;
    }
  }
}
