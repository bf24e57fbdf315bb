package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Traffic mirroring (shadowing) for a {@link Route}: a {@linkplain #percent() percentage} of its
 * requests is copied, fire-and-forget, to another {@linkplain #destination() destination}, such as
 * the next version of a service, to see how it copes with real traffic. The copy's answer is read
 * by nobody and closed at once; the copy never delays, fails or changes the call it was copied
 * from, carries none of its deadline and draws nothing from its retries. At most {@linkplain
 * #maxConcurrent() maxConcurrent} copies are in flight; a copy beyond them is dropped and counted
 * ({@code MeshSnapshot.ServiceSnapshot.mirrorsDropped}).
 *
 * <pre>{@code
 * MirrorPolicy shadow = MirrorPolicy.builder()
 *     .destination(Destination.builder().service("orders-next").build())
 *     .percent(10)
 *     .build();
 * }</pre>
 *
 * <p>A request whose body can be read only once is not copied. Immutable and thread-safe.
 */
public final class MirrorPolicy {
  /** The most copies in flight at once, unless set. */
  public static final int DEFAULT_MAX_CONCURRENT = 64;

  private final Destination destination;
  private final double percent;
  private final int maxConcurrent;

  private MirrorPolicy(Builder b) {
    this.destination = b.destination;
    this.percent = b.percent;
    this.maxConcurrent = b.maxConcurrent;
  }

  /** A builder; a destination must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.destination = destination;
    b.percent = percent;
    b.maxConcurrent = maxConcurrent;
    return b;
  }

  /** Where the copies go; its weight is not used. */
  public Destination destination() {
    return destination;
  }

  /** The percentage of the route's requests copied, 0 to 100 (100 unless set). */
  public double percent() {
    return percent;
  }

  /** The most copies in flight at once. */
  public int maxConcurrent() {
    return maxConcurrent;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MirrorPolicy && destination.equals(((MirrorPolicy) o).destination)
        && percent == ((MirrorPolicy) o).percent && maxConcurrent == ((MirrorPolicy) o).maxConcurrent;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(destination, percent, maxConcurrent);
  }

  @Override
  public String toString() {
    return "MirrorPolicy{" + destination + ", " + percent + "%, maxConcurrent=" + maxConcurrent + "}";
  }

  /** Builds a {@link MirrorPolicy}; each setter checks its value at once. Not thread-safe. */
  public static final class Builder {
    private @Nullable Destination destination;
    private double percent = 100;
    private int maxConcurrent = DEFAULT_MAX_CONCURRENT;

    private Builder() {}

    /** Sets where the copies go. */
    public Builder destination(Destination destination) {
      this.destination = requireNonNull(destination, "destination");
      return this;
    }

    /**
     * Sets the percentage of requests copied.
     *
     * @throws MeshConfigException at {@code mirror.percent} if not within 0..100
     */
    public Builder percent(double percent) {
      if (!(percent >= 0 && percent <= 100)) {
        throw new MeshConfigException("mirror.percent", percent, "a percentage within 0..100");
      }
      this.percent = percent;
      return this;
    }

    /**
     * Sets the most copies in flight at once.
     *
     * @throws MeshConfigException at {@code mirror.maxConcurrent} if below 1
     */
    public Builder maxConcurrent(int maxConcurrent) {
      if (maxConcurrent < 1) {
        throw new MeshConfigException("mirror.maxConcurrent", maxConcurrent, ">= 1");
      }
      this.maxConcurrent = maxConcurrent;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws MeshConfigException at {@code mirror.destination} if none was set
     */
    public MirrorPolicy build() {
      if (destination == null) {
        throw new MeshConfigException("mirror.destination", null, "a destination (service and/or subset)");
      }
      return new MirrorPolicy(this);
    }
  }
}
