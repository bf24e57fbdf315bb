package io.meshclient.testkit;

import org.jspecify.annotations.Nullable;

/**
 * One attempt of a simulated request, as traced when {@link Simulation.Builder#traceAttempts(boolean)}
 * is on: which request, which attempt, where it went, and how it ended.
 *
 * <pre>{@code
 * for (AttemptRecord a : result.attemptLog()) {
 *   if (a.key() != null) keyToBackend.put(a.key(), a.backend());
 * }
 * }</pre>
 *
 * @param request the request's number, 0 for the first
 * @param attempt 0 for the first attempt, 1 for the first retry, ...
 * @param sentNanos virtual time the attempt was sent, since the start
 * @param endedNanos virtual time the attempt ended
 * @param backend the backend it was sent to
 * @param key the request's consistent-hashing key, or {@code null}
 * @param result how it ended
 * @param status the HTTP status of a {@link AttemptResult#RESPONSE}, else 0
 */
public record AttemptRecord(long request, int attempt, long sentNanos, long endedNanos, String backend,
    @Nullable String key, AttemptResult result, int status) {

  /** How an attempt ended, as the mesh saw it. */
  public enum AttemptResult {
    /** A response arrived (any status). */
    RESPONSE,
    /** The connection failed. */
    CONNECT_FAILURE,
    /** No answer before the attempt's timeout. */
    TIMEOUT,
    /** The simulation ended while the attempt was still waiting (no timeout was set). */
    UNFINISHED
  }
}
