package io.meshclient.testkit;

import org.jspecify.annotations.Nullable;

/**
 * What one simulated backend saw during a run: the attempts sent to it, in total and per time
 * bucket, and how they ended.
 *
 * <pre>{@code
 * BackendResult slow = result.backend("slow");
 * System.out.println(slow.attempts() + " attempts, " + slow.serverErrors() + " 5xx");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BackendResult {
  private final String name;
  private final @Nullable String zone;
  private final long attempts;
  private final long successes;
  private final long serverErrors;
  private final long connectFailures;
  private final long timeouts;
  private final long unfinished;
  private final long[] perBucket;

  BackendResult(String name, @Nullable String zone, long attempts, long successes, long serverErrors,
      long connectFailures, long timeouts, long unfinished, long[] perBucket) {
    this.name = name;
    this.zone = zone;
    this.attempts = attempts;
    this.successes = successes;
    this.serverErrors = serverErrors;
    this.connectFailures = connectFailures;
    this.timeouts = timeouts;
    this.unfinished = unfinished;
    this.perBucket = perBucket;
  }

  /** The backend's name. */
  public String name() {
    return name;
  }

  /** The backend's zone, or {@code null}. */
  public @Nullable String zone() {
    return zone;
  }

  /** Attempts sent to it. */
  public long attempts() {
    return attempts;
  }

  /** Attempts it answered with a status below 500. */
  public long successes() {
    return successes;
  }

  /** Attempts it answered with a 5xx status. */
  public long serverErrors() {
    return serverErrors;
  }

  /** Attempts whose connection it refused. */
  public long connectFailures() {
    return connectFailures;
  }

  /** Attempts it did not answer before their timeout. */
  public long timeouts() {
    return timeouts;
  }

  /** Attempts still waiting for it when the run ended (possible only without timeouts). */
  public long unfinished() {
    return unfinished;
  }

  /** Attempts sent to it in each time bucket (by send time); a copy. */
  public long[] attemptsPerBucket() {
    return perBucket.clone();
  }

  /** Attempts sent to it in bucket {@code bucket} (0 for the first), or 0 past the last. */
  public long attemptsIn(int bucket) {
    return bucket >= 0 && bucket < perBucket.length ? perBucket[bucket] : 0;
  }

  @Override
  public String toString() {
    return "BackendResult{" + name + ", attempts=" + attempts + ", successes=" + successes + ", serverErrors="
        + serverErrors + ", connectFailures=" + connectFailures + ", timeouts=" + timeouts
        + (unfinished > 0 ? ", unfinished=" + unfinished : "") + "}";
  }
}
