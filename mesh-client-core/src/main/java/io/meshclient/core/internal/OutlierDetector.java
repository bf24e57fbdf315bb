package io.meshclient.core.internal;

import io.meshclient.api.OutlierDetectionPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides ejections for one cluster: on failure streaks as they happen, and on success rate and
 * failure percentage once per interval. The cluster applies them (under its lock) so that the
 * ejected share never passes the maximum.
 */
final class OutlierDetector {
  static final String CONSECUTIVE_5XX = "consecutive_5xx";
  static final String CONSECUTIVE_GATEWAY = "consecutive_gateway_failure";
  static final String SUCCESS_RATE = "success_rate";
  static final String FAILURE_PERCENTAGE = "failure_percentage";

  private final OutlierDetectionPolicy policy;
  private final long baseNanos;
  private final long maxNanos;

  OutlierDetector(OutlierDetectionPolicy policy) {
    this.policy = policy;
    this.baseNanos = policy.baseEjectionTime().toNanos();
    this.maxNanos = policy.maxEjectionTime().toNanos();
  }

  boolean enabled() {
    return policy.enabled();
  }

  OutlierDetectionPolicy policy() {
    return policy;
  }

  /** The streak that calls for ejecting {@code e} now, or {@code null}. */
  String streak(EndpointState e) {
    if (!policy.enabled()) {
      return null;
    }
    if (policy.consecutiveGatewayFailures() > 0 && e.consecutiveGatewayFailures() >= policy.consecutiveGatewayFailures()) {
      return CONSECUTIVE_GATEWAY;
    }
    if (policy.consecutive5xx() > 0 && e.consecutive5xx() >= policy.consecutive5xx()) {
      return CONSECUTIVE_5XX;
    }
    return null;
  }

  /** Whether ejecting one more of {@code total} endpoints, {@code ejected} being out, stays within the maximum. */
  boolean mayEject(int ejected, int total) {
    return (ejected + 1) * 100L <= (long) policy.maxEjectionPercent() * total;
  }

  /** How long the {@code times}-th ejection lasts. */
  long ejectionNanos(int times) {
    long nanos = baseNanos * Math.max(times, 1);
    return nanos < 0 || nanos > maxNanos ? maxNanos : nanos;
  }

  /** A candidate for ejection found by an interval detector. */
  record Verdict(EndpointState endpoint, String reason) {}

  /**
   * Reads and resets every endpoint's interval counts and returns the outliers by success rate,
   * then by failure percentage (an endpoint at most once), worst first.
   */
  List<Verdict> interval(List<EndpointState> endpoints, long now) {
    int n = endpoints.size();
    long[] ok = new long[n];
    long[] bad = new long[n];
    for (int i = 0; i < n; i++) {
      EndpointState e = endpoints.get(i);
      ok[i] = e.intervalSuccesses.sumThenReset();
      bad[i] = e.intervalFailures.sumThenReset();
    }
    List<Verdict> verdicts = new ArrayList<>();
    if (!policy.enabled()) {
      return verdicts;
    }
    if (policy.successRateStdevFactor() > 0) {
      successRate(endpoints, ok, bad, now, verdicts);
    }
    if (policy.failurePercentageThreshold() > 0) {
      failurePercentage(endpoints, ok, bad, now, verdicts);
    }
    return verdicts;
  }

  private void successRate(List<EndpointState> endpoints, long[] ok, long[] bad, long now, List<Verdict> out) {
    int hosts = 0;
    double sum = 0;
    double[] rate = new double[endpoints.size()];
    for (int i = 0; i < rate.length; i++) {
      long volume = ok[i] + bad[i];
      rate[i] = -1;
      if (volume >= policy.successRateRequestVolume() && !endpoints.get(i).ejectedAt(now)) {
        rate[i] = (double) ok[i] / volume;
        sum += rate[i];
        hosts++;
      }
    }
    if (hosts < policy.successRateMinimumHosts()) {
      return;
    }
    double mean = sum / hosts;
    double variance = 0;
    for (double r : rate) {
      if (r >= 0) {
        variance += (r - mean) * (r - mean);
      }
    }
    double floor = mean - policy.successRateStdevFactor() * Math.sqrt(variance / hosts);
    List<Integer> outliers = new ArrayList<>();
    for (int i = 0; i < rate.length; i++) {
      if (rate[i] >= 0 && rate[i] < floor) {
        outliers.add(i);
      }
    }
    outliers.sort((a, b) -> Double.compare(rate[a], rate[b]));
    outliers.forEach(i -> out.add(new Verdict(endpoints.get(i), SUCCESS_RATE)));
  }

  private void failurePercentage(List<EndpointState> endpoints, long[] ok, long[] bad, long now, List<Verdict> out) {
    int hosts = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] + bad[i] >= policy.failurePercentageRequestVolume()) {
        hosts++;
      }
    }
    if (hosts < policy.failurePercentageMinimumHosts()) {
      return;
    }
    for (int i = 0; i < ok.length; i++) {
      long volume = ok[i] + bad[i];
      EndpointState e = endpoints.get(i);
      if (volume >= policy.failurePercentageRequestVolume() && !e.ejectedAt(now)
          && bad[i] * 100 >= (long) policy.failurePercentageThreshold() * volume
          && out.stream().noneMatch(v -> v.endpoint() == e)) {
        out.add(new Verdict(e, FAILURE_PERCENTAGE));
      }
    }
  }
}
