package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Passive outlier detection: the mesh watches every answer and takes an endpoint out of rotation
 * (ejects it) when it fails while its peers do not. Four detectors, each one off when its
 * threshold is 0:
 * <ul>
 *   <li><b>consecutive 5xx</b>: this many 5xx answers or I/O failures in a row;
 *   <li><b>consecutive gateway failures</b>: this many 502/503/504 answers, connect failures or
 *       connections torn down (what {@link RetryRule#reset()} matches) in a row;
 *   <li><b>success rate</b>, every {@linkplain #interval() interval}: among endpoints that served
 *       at least {@linkplain #successRateRequestVolume() a volume} (and at least
 *       {@linkplain #successRateMinimumHosts() a number} of such endpoints), those whose success rate
 *       is below the mean by more than {@linkplain #successRateStdevFactor() a factor} of the
 *       standard deviation;
 *   <li><b>failure percentage</b>, every interval: endpoints whose failure share reached
 *       {@linkplain #failurePercentageThreshold() a threshold} over at least a volume of requests.
 * </ul>
 * An ejection lasts the {@linkplain #baseEjectionTime() base time} times the number of times the
 * endpoint was ejected (capped at {@linkplain #maxEjectionTime() a maximum}; the count falls back
 * while it stays healthy), and never takes out more than {@linkplain #maxEjectionPercent() a share}
 * of the endpoints (rounded down). A returning endpoint ramps up again when slow start is on.
 *
 * <p>Immutable and thread-safe.
 */
public final class OutlierDetectionPolicy {
  private static final OutlierDetectionPolicy DEFAULTS = builder().build();
  private static final OutlierDetectionPolicy DISABLED = builder().enabled(false).build();

  private final boolean enabled;
  private final int consecutive5xx;
  private final int consecutiveGatewayFailures;
  private final Duration interval;
  private final double successRateStdevFactor;
  private final int successRateMinimumHosts;
  private final int successRateRequestVolume;
  private final int failurePercentageThreshold;
  private final int failurePercentageMinimumHosts;
  private final int failurePercentageRequestVolume;
  private final Duration baseEjectionTime;
  private final Duration maxEjectionTime;
  private final int maxEjectionPercent;

  private OutlierDetectionPolicy(Builder b) {
    enabled = b.enabled;
    consecutive5xx = b.consecutive5xx;
    consecutiveGatewayFailures = b.consecutiveGatewayFailures;
    interval = b.interval;
    successRateStdevFactor = b.successRateStdevFactor;
    successRateMinimumHosts = b.successRateMinimumHosts;
    successRateRequestVolume = b.successRateRequestVolume;
    failurePercentageThreshold = b.failurePercentageThreshold;
    failurePercentageMinimumHosts = b.failurePercentageMinimumHosts;
    failurePercentageRequestVolume = b.failurePercentageRequestVolume;
    baseEjectionTime = b.baseEjectionTime;
    maxEjectionTime = b.maxEjectionTime;
    maxEjectionPercent = b.maxEjectionPercent;
  }

  /** The defaults (see {@link Builder}): every detector on, 30 s base ejection, at most 50 % ejected. */
  public static OutlierDetectionPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** No ejections. */
  public static OutlierDetectionPolicy disabled() {
    return DISABLED;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    return new Builder().enabled(enabled).consecutive5xx(consecutive5xx)
        .consecutiveGatewayFailures(consecutiveGatewayFailures).interval(interval)
        .successRateStdevFactor(successRateStdevFactor).successRateMinimumHosts(successRateMinimumHosts)
        .successRateRequestVolume(successRateRequestVolume).failurePercentageThreshold(failurePercentageThreshold)
        .failurePercentageMinimumHosts(failurePercentageMinimumHosts)
        .failurePercentageRequestVolume(failurePercentageRequestVolume).baseEjectionTime(baseEjectionTime)
        .maxEjectionTime(maxEjectionTime).maxEjectionPercent(maxEjectionPercent);
  }

  /** Whether any endpoint may be ejected. */
  public boolean enabled() {
    return enabled;
  }

  /** 5xx answers or I/O failures in a row that eject; 0 turns this detector off. */
  public int consecutive5xx() {
    return consecutive5xx;
  }

  /** 502/503/504 answers or connect failures in a row that eject; 0 turns this detector off. */
  public int consecutiveGatewayFailures() {
    return consecutiveGatewayFailures;
  }

  /** How often the success-rate and failure-percentage detectors run, over the interval just past. */
  public Duration interval() {
    return interval;
  }

  /** Success rate below mean − factor × standard deviation ejects; 0 turns this detector off. */
  public double successRateStdevFactor() {
    return successRateStdevFactor;
  }

  /** Endpoints with enough volume needed before the success-rate detector judges any. */
  public int successRateMinimumHosts() {
    return successRateMinimumHosts;
  }

  /** Requests in the interval an endpoint needs to count for the success-rate detector. */
  public int successRateRequestVolume() {
    return successRateRequestVolume;
  }

  /** Failure percentage in the interval that ejects, 1..100; 0 turns this detector off. */
  public int failurePercentageThreshold() {
    return failurePercentageThreshold;
  }

  /** Endpoints with enough volume needed before the failure-percentage detector judges any. */
  public int failurePercentageMinimumHosts() {
    return failurePercentageMinimumHosts;
  }

  /** Requests in the interval an endpoint needs to count for the failure-percentage detector. */
  public int failurePercentageRequestVolume() {
    return failurePercentageRequestVolume;
  }

  /** The first ejection's length; the n-th lasts n times this, up to {@link #maxEjectionTime()}. */
  public Duration baseEjectionTime() {
    return baseEjectionTime;
  }

  /** The longest an ejection lasts. */
  public Duration maxEjectionTime() {
    return maxEjectionTime;
  }

  /** The most endpoints ejected at once, as a percentage of all (rounded down). */
  public int maxEjectionPercent() {
    return maxEjectionPercent;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof OutlierDetectionPolicy)) {
      return false;
    }
    OutlierDetectionPolicy t = (OutlierDetectionPolicy) o;
    return enabled == t.enabled && consecutive5xx == t.consecutive5xx
        && consecutiveGatewayFailures == t.consecutiveGatewayFailures && interval.equals(t.interval)
        && successRateStdevFactor == t.successRateStdevFactor && successRateMinimumHosts == t.successRateMinimumHosts
        && successRateRequestVolume == t.successRateRequestVolume
        && failurePercentageThreshold == t.failurePercentageThreshold
        && failurePercentageMinimumHosts == t.failurePercentageMinimumHosts
        && failurePercentageRequestVolume == t.failurePercentageRequestVolume
        && baseEjectionTime.equals(t.baseEjectionTime) && maxEjectionTime.equals(t.maxEjectionTime)
        && maxEjectionPercent == t.maxEjectionPercent;
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, consecutive5xx, consecutiveGatewayFailures, interval, successRateStdevFactor,
        successRateMinimumHosts, successRateRequestVolume, failurePercentageThreshold, failurePercentageMinimumHosts,
        failurePercentageRequestVolume, baseEjectionTime, maxEjectionTime, maxEjectionPercent);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "OutlierDetectionPolicy{disabled}";
    }
    return "OutlierDetectionPolicy{consecutive5xx=" + consecutive5xx + ", consecutiveGatewayFailures="
        + consecutiveGatewayFailures + ", interval=" + interval + ", successRateStdevFactor=" + successRateStdevFactor
        + ", successRateMinimumHosts=" + successRateMinimumHosts + ", successRateRequestVolume="
        + successRateRequestVolume + ", failurePercentageThreshold=" + failurePercentageThreshold
        + ", failurePercentageMinimumHosts=" + failurePercentageMinimumHosts + ", failurePercentageRequestVolume="
        + failurePercentageRequestVolume + ", baseEjectionTime=" + baseEjectionTime + ", maxEjectionTime="
        + maxEjectionTime + ", maxEjectionPercent=" + maxEjectionPercent + "}";
  }

  /**
   * Builds an {@link OutlierDetectionPolicy}; {@link #build()} checks the values. Defaults: 5
   * consecutive 5xx, 5 consecutive gateway failures, a 10 s interval, success rate with factor 1.9
   * over 5 endpoints of 100 requests, failure percentage 85 over 5 endpoints of 50 requests, 30 s
   * base and 300 s maximum ejection, at most 50 % ejected. Not thread-safe.
   */
  public static final class Builder {
    private boolean enabled = true;
    private int consecutive5xx = 5;
    private int consecutiveGatewayFailures = 5;
    private Duration interval = Duration.ofSeconds(10);
    private double successRateStdevFactor = 1.9;
    private int successRateMinimumHosts = 5;
    private int successRateRequestVolume = 100;
    private int failurePercentageThreshold = 85;
    private int failurePercentageMinimumHosts = 5;
    private int failurePercentageRequestVolume = 50;
    private Duration baseEjectionTime = Duration.ofSeconds(30);
    private Duration maxEjectionTime = Duration.ofSeconds(300);
    private int maxEjectionPercent = 50;

    private Builder() {}

    /** Turns ejection on (the default) or off. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** Sets the consecutive 5xx count that ejects (0: off). */
    public Builder consecutive5xx(int count) {
      this.consecutive5xx = count;
      return this;
    }

    /** Sets the consecutive gateway failure count that ejects (0: off). */
    public Builder consecutiveGatewayFailures(int count) {
      this.consecutiveGatewayFailures = count;
      return this;
    }

    /** Sets how often the interval detectors run. */
    public Builder interval(Duration interval) {
      this.interval = requireNonNull(interval, "interval");
      return this;
    }

    /** Sets the success-rate standard deviation factor (0: off). */
    public Builder successRateStdevFactor(double factor) {
      this.successRateStdevFactor = factor;
      return this;
    }

    /** Sets the endpoints with volume the success-rate detector needs. */
    public Builder successRateMinimumHosts(int hosts) {
      this.successRateMinimumHosts = hosts;
      return this;
    }

    /** Sets the requests an endpoint needs in an interval for the success-rate detector. */
    public Builder successRateRequestVolume(int requests) {
      this.successRateRequestVolume = requests;
      return this;
    }

    /** Sets the failure percentage that ejects (0: off). */
    public Builder failurePercentageThreshold(int percent) {
      this.failurePercentageThreshold = percent;
      return this;
    }

    /** Sets the endpoints with volume the failure-percentage detector needs. */
    public Builder failurePercentageMinimumHosts(int hosts) {
      this.failurePercentageMinimumHosts = hosts;
      return this;
    }

    /** Sets the requests an endpoint needs in an interval for the failure-percentage detector. */
    public Builder failurePercentageRequestVolume(int requests) {
      this.failurePercentageRequestVolume = requests;
      return this;
    }

    /** Sets the first ejection's length. */
    public Builder baseEjectionTime(Duration time) {
      this.baseEjectionTime = requireNonNull(time, "baseEjectionTime");
      return this;
    }

    /** Sets the longest ejection. */
    public Builder maxEjectionTime(Duration time) {
      this.maxEjectionTime = requireNonNull(time, "maxEjectionTime");
      return this;
    }

    /** Sets the most endpoints ejected at once, in percent, 0..100. */
    public Builder maxEjectionPercent(int percent) {
      this.maxEjectionPercent = percent;
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public OutlierDetectionPolicy build() {
      String p = "outlierDetection.";
      nonNegative(p + "consecutive5xx", consecutive5xx);
      nonNegative(p + "consecutiveGatewayFailures", consecutiveGatewayFailures);
      if (interval.isNegative() || interval.isZero()) {
        throw new MeshConfigException(p + "interval", interval, "> 0s");
      }
      if (!(successRateStdevFactor >= 0) || Double.isInfinite(successRateStdevFactor)) {
        throw new MeshConfigException(p + "successRateStdevFactor", successRateStdevFactor, ">= 0 (0 turns it off)");
      }
      positive(p + "successRateMinimumHosts", successRateMinimumHosts);
      positive(p + "successRateRequestVolume", successRateRequestVolume);
      if (failurePercentageThreshold < 0 || failurePercentageThreshold > 100) {
        throw new MeshConfigException(p + "failurePercentageThreshold", failurePercentageThreshold, "0..100 (0 turns it off)");
      }
      positive(p + "failurePercentageMinimumHosts", failurePercentageMinimumHosts);
      positive(p + "failurePercentageRequestVolume", failurePercentageRequestVolume);
      if (baseEjectionTime.isNegative() || baseEjectionTime.isZero()) {
        throw new MeshConfigException(p + "baseEjectionTime", baseEjectionTime, "> 0s");
      }
      if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
        throw new MeshConfigException(p + "maxEjectionTime", maxEjectionTime,
            ">= outlierDetection.baseEjectionTime (" + baseEjectionTime + ")");
      }
      if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
        throw new MeshConfigException(p + "maxEjectionPercent", maxEjectionPercent, "0..100");
      }
      return new OutlierDetectionPolicy(this);
    }

    private static void nonNegative(String path, int value) {
      if (value < 0) {
        throw new MeshConfigException(path, value, ">= 0 (0 turns it off)");
      }
    }

    private static void positive(String path, int value) {
      if (value < 1) {
        throw new MeshConfigException(path, value, ">= 1");
      }
    }
  }
}
