package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a service's endpoints share its traffic, whatever the balancer: which endpoints are
 * eligible (zone preference, panic threshold), how new endpoints ramp up (slow start), how long an
 * endpoint that answered 429 or 503 is avoided, and the settings of the balancers that have some
 * (peak EWMA's decay, the hash key and table sizes of the consistent-hashing balancers).
 *
 * <pre>{@code
 * LoadBalancingPolicy lb = LoadBalancingPolicy.builder()
 *     .slowStartWindow(Duration.ofSeconds(30))
 *     .panicThresholdPercent(50)
 *     .hashKey(HashKey.header("x-user-id"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LoadBalancingPolicy {
  /** How fast peak EWMA forgets a latency unless set: 10 s. */
  public static final Duration DEFAULT_EWMA_DECAY = Duration.ofSeconds(10);
  /** Below this share of healthy endpoints, balance over all of them, unless set: 50 %. */
  public static final int DEFAULT_PANIC_THRESHOLD_PERCENT = 50;
  /** Slow start is off unless a window is set. */
  public static final Duration DEFAULT_SLOW_START_WINDOW = Duration.ZERO;
  /** The weight share a ramping endpoint starts from unless set: 10 %. */
  public static final int DEFAULT_SLOW_START_MIN_WEIGHT_PERCENT = 10;
  /** How long a 429 or 503 without {@code Retry-After} is held against an endpoint unless set: 1 s. */
  public static final Duration DEFAULT_OVERLOAD_PENALTY = Duration.ofSeconds(1);
  /** The longest {@code Retry-After} honoured unless set: 5 min. */
  public static final Duration DEFAULT_MAX_OVERLOAD_PENALTY = Duration.ofMinutes(5);
  /** The smallest {@code ring_hash} ring unless set: 1,024 entries. */
  public static final int DEFAULT_MINIMUM_RING_SIZE = 1024;
  /** The largest ring accepted: 8,388,608 entries. */
  public static final int MAX_RING_SIZE = 8_388_608;
  /** The {@code maglev} lookup table size unless set: 65,537 (a prime). */
  public static final int DEFAULT_MAGLEV_TABLE_SIZE = 65_537;
  /** The largest maglev table accepted: 5,000,011 (a prime). */
  public static final int MAX_MAGLEV_TABLE_SIZE = 5_000_011;

  private static final LoadBalancingPolicy DEFAULTS = builder().build();

  private final boolean zoneAware;
  private final int panicThresholdPercent;
  private final Duration slowStartWindow;
  private final int slowStartMinWeightPercent;
  private final Duration overloadPenalty;
  private final Duration maxOverloadPenalty;
  private final Duration ewmaDecay;
  private final @Nullable HashKey hashKey;
  private final int minimumRingSize;
  private final int maglevTableSize;

  private LoadBalancingPolicy(Builder b) {
    this.zoneAware = b.zoneAware;
    this.panicThresholdPercent = b.panicThresholdPercent;
    this.slowStartWindow = b.slowStartWindow;
    this.slowStartMinWeightPercent = b.slowStartMinWeightPercent;
    this.overloadPenalty = b.overloadPenalty;
    this.maxOverloadPenalty = b.maxOverloadPenalty;
    this.ewmaDecay = b.ewmaDecay;
    this.hashKey = b.hashKey;
    this.minimumRingSize = b.minimumRingSize;
    this.maglevTableSize = b.maglevTableSize;
  }

  /** The defaults: zone-aware, panic below 50 %, no slow start, 1 s overload penalty, 10 s EWMA decay. */
  public static LoadBalancingPolicy ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder()
        .zoneAware(zoneAware)
        .panicThresholdPercent(panicThresholdPercent)
        .slowStartWindow(slowStartWindow)
        .slowStartMinWeightPercent(slowStartMinWeightPercent)
        .overloadPenalty(overloadPenalty)
        .maxOverloadPenalty(maxOverloadPenalty)
        .ewmaDecay(ewmaDecay)
        .minimumRingSize(minimumRingSize)
        .maglevTableSize(maglevTableSize);
    b.hashKey = hashKey;
    return b;
  }

  /**
   * Whether endpoints in the caller's zone are preferred, when the mesh knows its zone: traffic
   * spills to other zones only in proportion to the local zone's missing healthy capacity.
   */
  public boolean zoneAware() {
    return zoneAware;
  }

  /** Below this percentage of healthy endpoints the mesh balances over all of them; 0 never panics. */
  public int panicThresholdPercent() {
    return panicThresholdPercent;
  }

  /** Over how long a new or readmitted endpoint ramps to its full weight; zero for no ramp. */
  public Duration slowStartWindow() {
    return slowStartWindow;
  }

  /** The percentage of its weight a ramping endpoint starts from. */
  public int slowStartMinWeightPercent() {
    return slowStartMinWeightPercent;
  }

  /** How long a 429 or 503 answer without {@code Retry-After} lowers the endpoint's score. */
  public Duration overloadPenalty() {
    return overloadPenalty;
  }

  /** The longest {@code Retry-After} the mesh honours; longer requests are cut to this. */
  public Duration maxOverloadPenalty() {
    return maxOverloadPenalty;
  }

  /** The time constant of peak EWMA's latency average: older samples weigh e times less per decay. */
  public Duration ewmaDecay() {
    return ewmaDecay;
  }

  /** Where {@code ring_hash} and {@code maglev} read a request's key, or {@code null} for none. */
  public @Nullable HashKey hashKey() {
    return hashKey;
  }

  /** The fewest entries of a {@code ring_hash} ring; the ring grows with the endpoint count. */
  public int minimumRingSize() {
    return minimumRingSize;
  }

  /** The size of a {@code maglev} lookup table, a prime well above the endpoint count. */
  public int maglevTableSize() {
    return maglevTableSize;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof LoadBalancingPolicy)) {
      return false;
    }
    LoadBalancingPolicy that = (LoadBalancingPolicy) o;
    return zoneAware == that.zoneAware
        && panicThresholdPercent == that.panicThresholdPercent
        && slowStartWindow.equals(that.slowStartWindow)
        && slowStartMinWeightPercent == that.slowStartMinWeightPercent
        && overloadPenalty.equals(that.overloadPenalty)
        && maxOverloadPenalty.equals(that.maxOverloadPenalty)
        && ewmaDecay.equals(that.ewmaDecay)
        && Objects.equals(hashKey, that.hashKey)
        && minimumRingSize == that.minimumRingSize
        && maglevTableSize == that.maglevTableSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(zoneAware, panicThresholdPercent, slowStartWindow, slowStartMinWeightPercent,
        overloadPenalty, maxOverloadPenalty, ewmaDecay, hashKey, minimumRingSize, maglevTableSize);
  }

  @Override
  public String toString() {
    return "LoadBalancingPolicy{zoneAware=" + zoneAware + ", panicThresholdPercent=" + panicThresholdPercent
        + ", slowStartWindow=" + slowStartWindow + ", slowStartMinWeightPercent=" + slowStartMinWeightPercent
        + ", overloadPenalty=" + overloadPenalty + ", maxOverloadPenalty=" + maxOverloadPenalty
        + ", ewmaDecay=" + ewmaDecay + ", hashKey=" + hashKey + ", minimumRingSize=" + minimumRingSize
        + ", maglevTableSize=" + maglevTableSize + "}";
  }

  /** Builds a {@link LoadBalancingPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private boolean zoneAware = true;
    private int panicThresholdPercent = DEFAULT_PANIC_THRESHOLD_PERCENT;
    private Duration slowStartWindow = DEFAULT_SLOW_START_WINDOW;
    private int slowStartMinWeightPercent = DEFAULT_SLOW_START_MIN_WEIGHT_PERCENT;
    private Duration overloadPenalty = DEFAULT_OVERLOAD_PENALTY;
    private Duration maxOverloadPenalty = DEFAULT_MAX_OVERLOAD_PENALTY;
    private Duration ewmaDecay = DEFAULT_EWMA_DECAY;
    private @Nullable HashKey hashKey;
    private int minimumRingSize = DEFAULT_MINIMUM_RING_SIZE;
    private int maglevTableSize = DEFAULT_MAGLEV_TABLE_SIZE;

    private Builder() {}

    /** Prefers the caller's zone (the default) or ignores zones. */
    public Builder zoneAware(boolean zoneAware) {
      this.zoneAware = zoneAware;
      return this;
    }

    /** Sets the healthy percentage below which all endpoints are used, 0..100 (0: never). */
    public Builder panicThresholdPercent(int percent) {
      this.panicThresholdPercent = percent;
      return this;
    }

    /** Sets the ramp of new and readmitted endpoints (zero: none). */
    public Builder slowStartWindow(Duration window) {
      this.slowStartWindow = requireNonNull(window, "slowStartWindow");
      return this;
    }

    /** Sets the weight percentage a ramp starts from, 1..100. */
    public Builder slowStartMinWeightPercent(int percent) {
      this.slowStartMinWeightPercent = percent;
      return this;
    }

    /** Sets how long a 429 or 503 without {@code Retry-After} is held against an endpoint. */
    public Builder overloadPenalty(Duration penalty) {
      this.overloadPenalty = requireNonNull(penalty, "overloadPenalty");
      return this;
    }

    /** Sets the longest {@code Retry-After} honoured. */
    public Builder maxOverloadPenalty(Duration max) {
      this.maxOverloadPenalty = requireNonNull(max, "maxOverloadPenalty");
      return this;
    }

    /** Sets peak EWMA's decay time constant (&gt; 0). */
    public Builder ewmaDecay(Duration decay) {
      this.ewmaDecay = requireNonNull(decay, "ewmaDecay");
      return this;
    }

    /** Sets where consistent hashing reads a request's key. */
    public Builder hashKey(HashKey hashKey) {
      this.hashKey = requireNonNull(hashKey, "hashKey");
      return this;
    }

    /** Sets the fewest entries of a {@code ring_hash} ring, 1..{@value LoadBalancingPolicy#MAX_RING_SIZE}. */
    public Builder minimumRingSize(int size) {
      this.minimumRingSize = size;
      return this;
    }

    /** Sets the {@code maglev} table size, a prime up to {@value LoadBalancingPolicy#MAX_MAGLEV_TABLE_SIZE}. */
    public Builder maglevTableSize(int size) {
      this.maglevTableSize = size;
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException naming the first bad field
     */
    public LoadBalancingPolicy build() {
      if (panicThresholdPercent < 0 || panicThresholdPercent > 100) {
        throw new MeshConfigException("loadBalancing.panicThresholdPercent", panicThresholdPercent, "0..100");
      }
      if (slowStartWindow.isNegative()) {
        throw new MeshConfigException("loadBalancing.slowStartWindow", slowStartWindow, ">= 0s (0s for no ramp)");
      }
      if (slowStartMinWeightPercent < 1 || slowStartMinWeightPercent > 100) {
        throw new MeshConfigException("loadBalancing.slowStartMinWeightPercent", slowStartMinWeightPercent, "1..100");
      }
      if (overloadPenalty.isNegative()) {
        throw new MeshConfigException("loadBalancing.overloadPenalty", overloadPenalty, ">= 0s");
      }
      if (maxOverloadPenalty.compareTo(overloadPenalty) < 0) {
        throw new MeshConfigException("loadBalancing.maxOverloadPenalty", maxOverloadPenalty,
            ">= loadBalancing.overloadPenalty (" + overloadPenalty + ")");
      }
      if (ewmaDecay.isNegative() || ewmaDecay.isZero()) {
        throw new MeshConfigException("loadBalancing.ewmaDecay", ewmaDecay, "> 0s");
      }
      if (minimumRingSize < 1 || minimumRingSize > MAX_RING_SIZE) {
        throw new MeshConfigException("loadBalancing.minimumRingSize", minimumRingSize, "1.." + MAX_RING_SIZE);
      }
      if (maglevTableSize < 3 || maglevTableSize > MAX_MAGLEV_TABLE_SIZE || !isPrime(maglevTableSize)) {
        throw new MeshConfigException("loadBalancing.maglevTableSize", maglevTableSize,
            "a prime in 3.." + MAX_MAGLEV_TABLE_SIZE + ", e.g. 65537");
      }
      return new LoadBalancingPolicy(this);
    }

    private static boolean isPrime(int n) {
      if (n % 2 == 0) {
        return n == 2;
      }
      for (int d = 3; (long) d * d <= n; d += 2) {
        if (n % d == 0) {
          return false;
        }
      }
      return true;
    }
  }
}
