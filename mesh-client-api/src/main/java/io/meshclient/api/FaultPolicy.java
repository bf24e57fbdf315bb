package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Faults a {@link Route} injects into its own calls, to test resilience without touching the
 * services: a {@linkplain #delay() delay} before the call goes out, for a {@linkplain
 * #delayPercent() percentage} of requests; and an abort, for a {@linkplain #abortPercent()
 * percentage} of requests, answering with an {@linkplain #abortHttpStatus() HTTP status} or failing
 * like a {@linkplain #abortConnectionError() refused connection}. Optionally only for requests
 * whose {@linkplain #headerName() header} passes a {@linkplain #headerMatch() test}.
 *
 * <pre>{@code
 * FaultPolicy chaos = FaultPolicy.builder()
 *     .delay(Duration.ofSeconds(2)).delayPercent(10)
 *     .abortHttpStatus(503).abortPercent(5)
 *     .onlyWithHeader("x-chaos", StringMatch.exact("on"))
 *     .build();
 * }</pre>
 *
 * <p>Semantics (as in Envoy's fault filter): the delay comes first and counts against the call's
 * deadline; the abort then ends the call before any endpoint is picked, and is not retried: the
 * caller sees the injected status or a {@link java.net.ConnectException}. Each is decided per call
 * with its own draw. Immutable and thread-safe.
 */
public final class FaultPolicy {
  private final Duration delay;
  private final double delayPercent;
  private final int abortHttpStatus;
  private final boolean abortConnectionError;
  private final double abortPercent;
  private final @Nullable String headerName;
  private final StringMatch headerMatch;

  private FaultPolicy(Builder b) {
    this.delay = b.delay;
    this.delayPercent = b.delayPercent;
    this.abortHttpStatus = b.abortHttpStatus;
    this.abortConnectionError = b.abortConnectionError;
    this.abortPercent = b.abortPercent;
    this.headerName = b.headerName;
    this.headerMatch = b.headerMatch;
  }

  /** A builder for a policy that injects nothing until a delay or an abort is set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.delay = delay;
    b.delayPercent = delayPercent;
    b.abortHttpStatus = abortHttpStatus;
    b.abortConnectionError = abortConnectionError;
    b.abortPercent = abortPercent;
    b.headerName = headerName;
    b.headerMatch = headerMatch;
    return b;
  }

  /** How long a delayed request waits before going out; zero for no delay. */
  public Duration delay() {
    return delay;
  }

  /** The percentage of requests delayed, 0 to 100. */
  public double delayPercent() {
    return delayPercent;
  }

  /** The status an aborted request is answered with; 0 when aborts fail the connection or there are none. */
  public int abortHttpStatus() {
    return abortHttpStatus;
  }

  /** Whether an aborted request fails like a refused connection instead of getting a status. */
  public boolean abortConnectionError() {
    return abortConnectionError;
  }

  /** The percentage of requests aborted, 0 to 100. */
  public double abortPercent() {
    return abortPercent;
  }

  /** The header a request must carry for faults to apply to it, or {@code null} for every request. */
  public @Nullable String headerName() {
    return headerName;
  }

  /** What the {@linkplain #headerName() header} must pass; {@code present} unless set. */
  public StringMatch headerMatch() {
    return headerMatch;
  }

  /** Whether some request may be delayed. */
  public boolean delays() {
    return delayPercent > 0 && !delay.isZero();
  }

  /** Whether some request may be aborted. */
  public boolean aborts() {
    return abortPercent > 0 && (abortHttpStatus != 0 || abortConnectionError);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof FaultPolicy)) {
      return false;
    }
    FaultPolicy that = (FaultPolicy) o;
    return delay.equals(that.delay) && delayPercent == that.delayPercent && abortHttpStatus == that.abortHttpStatus
        && abortConnectionError == that.abortConnectionError && abortPercent == that.abortPercent
        && java.util.Objects.equals(headerName, that.headerName) && headerMatch.equals(that.headerMatch);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(delay, delayPercent, abortHttpStatus, abortConnectionError, abortPercent,
        headerName, headerMatch);
  }

  @Override
  public String toString() {
    return "FaultPolicy{delay=" + delay + " for " + delayPercent + "%, abort="
        + (abortConnectionError ? "connection error" : abortHttpStatus == 0 ? "none" : "HTTP " + abortHttpStatus)
        + " for " + abortPercent + "%" + (headerName != null ? ", only with " + headerName + " " + headerMatch : "")
        + "}";
  }

  /** Builds a {@link FaultPolicy}; setters check single values, {@link #build()} how they fit. Not thread-safe. */
  public static final class Builder {
    private Duration delay = Duration.ZERO;
    private double delayPercent = -1;
    private int abortHttpStatus;
    private boolean abortConnectionError;
    private double abortPercent = -1;
    private @Nullable String headerName;
    private StringMatch headerMatch = StringMatch.present();

    private Builder() {}

    /**
     * Sets how long a delayed request waits; every request is delayed unless a {@link #delayPercent}
     * is set.
     *
     * @throws MeshConfigException at {@code fault.delay} if negative
     */
    public Builder delay(Duration delay) {
      requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new MeshConfigException("fault.delay", delay, ">= 0s");
      }
      this.delay = delay;
      return this;
    }

    /**
     * Sets the percentage of requests delayed.
     *
     * @throws MeshConfigException at {@code fault.delayPercent} if not within 0..100
     */
    public Builder delayPercent(double percent) {
      this.delayPercent = percent(percent, "fault.delayPercent");
      return this;
    }

    /**
     * Aborts with this HTTP status instead of sending the request; every request is aborted unless
     * an {@link #abortPercent} is set.
     *
     * @throws MeshConfigException at {@code fault.abortHttpStatus} if not within 200..599
     */
    public Builder abortHttpStatus(int status) {
      if (status < 200 || status > 599) {
        throw new MeshConfigException("fault.abortHttpStatus", status, "an HTTP status within 200..599");
      }
      this.abortHttpStatus = status;
      return this;
    }

    /**
     * Aborts by failing like a refused connection (a {@link java.net.ConnectException}) instead of
     * sending; every request is aborted unless an {@link #abortPercent} is set.
     */
    public Builder abortConnectionError(boolean connectionError) {
      this.abortConnectionError = connectionError;
      return this;
    }

    /**
     * Sets the percentage of requests aborted.
     *
     * @throws MeshConfigException at {@code fault.abortPercent} if not within 0..100
     */
    public Builder abortPercent(double percent) {
      this.abortPercent = percent(percent, "fault.abortPercent");
      return this;
    }

    /**
     * Applies the faults only to requests whose header {@code name} passes {@code match}, e.g.
     * {@code onlyWithHeader("x-chaos", StringMatch.present())}.
     */
    public Builder onlyWithHeader(String name, StringMatch match) {
      requireNonNull(match, "match");
      if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        throw new MeshConfigException("fault.headerName", name, "an HTTP header name (a token)");
      }
      this.headerName = name.toLowerCase(Locale.ROOT);
      this.headerMatch = match;
      return this;
    }

    /**
     * Checks that the values fit together and builds the policy.
     *
     * @throws MeshConfigException if both an abort status and a connection error are set, or a
     *     percentage is set without the fault it applies to
     */
    public FaultPolicy build() {
      if (abortHttpStatus != 0 && abortConnectionError) {
        throw new MeshConfigException("fault.abortConnectionError", true,
            "either an abort status or a connection error, not both (abortHttpStatus is " + abortHttpStatus + ")");
      }
      boolean aborts = abortHttpStatus != 0 || abortConnectionError;
      if (abortPercent > 0 && !aborts) {
        throw new MeshConfigException("fault.abortPercent", abortPercent,
            "0 unless abortHttpStatus or abortConnectionError is set");
      }
      if (delayPercent > 0 && delay.isZero()) {
        throw new MeshConfigException("fault.delayPercent", delayPercent, "0 unless a delay is set");
      }
      Builder b = toBuilderCopy();
      b.delayPercent = delayPercent >= 0 ? delayPercent : delay.isZero() ? 0 : 100;
      b.abortPercent = abortPercent >= 0 ? abortPercent : aborts ? 100 : 0;
      return new FaultPolicy(b);
    }

    private Builder toBuilderCopy() {
      Builder b = new Builder();
      b.delay = delay;
      b.abortHttpStatus = abortHttpStatus;
      b.abortConnectionError = abortConnectionError;
      b.headerName = headerName;
      b.headerMatch = headerMatch;
      return b;
    }

    private static double percent(double value, String path) {
      if (!(value >= 0 && value <= 100)) {
        throw new MeshConfigException(path, value, "a percentage within 0..100");
      }
      return value;
    }
  }
}
