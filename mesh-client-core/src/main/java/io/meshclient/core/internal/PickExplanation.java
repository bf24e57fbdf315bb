package io.meshclient.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why one attempt went where it went: the endpoint chosen and, for each other endpoint it was
 * picked from (the service's, or those of the route's destination: another service, a subset), its
 * score and why it was passed over ({@code ejected}, {@code breaker_open},
 * {@code concurrency_limit}, {@code unhealthy}, {@code already_tried}, {@code other_zone},
 * {@code higher_score} when a balancer that compares costs found it costlier, or
 * {@code not_picked} when the balancer simply chose another). Made only when something will use
 * it: a recording span, the pick debug log, the recent-decisions buffer.
 *
 * <pre>{@code
 * PickExplanation why = PickExplanation.explain(chosen, picks, attempt, false);
 * log.debug("{}", why); // attempt 1 of orders: 10.0.0.2:80 (score 1200000) over 10.0.0.1:80 already_tried, ...
 * }</pre>
 *
 * @param service the service the endpoint was picked from, followed by the subset's labels when
 *     the pick was within a subset ({@code orders {version=v2}})
 * @param attempt the attempt's number, 0 for the first
 * @param hedge whether the attempt is a hedge
 * @param candidates the chosen endpoint first, then the others in the pool's order, at most
 *     {@link #MAX_CANDIDATES}
 * @param considered how many endpoints the pick was made from
 */
public record PickExplanation(String service, int attempt, boolean hedge, List<Verdict> candidates, int considered) {
  /** How many endpoints an explanation names. */
  public static final int MAX_CANDIDATES = 8;

  /** Copies the list. */
  public PickExplanation {
    candidates = List.copyOf(candidates);
  }

  /**
   * One endpoint as the pick saw it.
   *
   * @param endpoint its address, {@code host:port}
   * @param score peak EWMA's cost in nanoseconds (lower wins)
   * @param verdict {@code chosen} or why it was passed over
   */
  public record Verdict(String endpoint, double score, String verdict) {}

  /** The endpoint chosen. */
  public Verdict chosen() {
    return candidates.get(0);
  }

  /**
   * Explains the pick of {@code chosen} for attempt {@code attempt} of a call with {@code picks},
   * among the endpoints the pick was made from ({@link PickState#pool()}).
   */
  public static PickExplanation explain(EndpointState chosen, PickState picks, int attempt, boolean hedge) {
    Cluster cluster = picks.cluster();
    long now = chosen.now();
    List<EndpointState> all = picks.pool();
    double chosenScore = chosen.scoreAt(now);
    // Only a balancer that compares costs passes an endpoint over for its cost; the others
    // (rotation, random, hash) never look at it.
    TwoChoices costs = cluster.loadBalancer() instanceof TwoChoices t ? t : null;
    double chosenCost = costs != null ? costs.costAt(chosen, now) : 0;
    List<Verdict> out = new ArrayList<>(Math.min(all.size(), MAX_CANDIDATES) + 1);
    out.add(new Verdict(chosen.endpoint().address(), chosenScore, "chosen"));
    String zone = cluster.zone();
    boolean stayedLocal = zone != null && zone.equals(chosen.endpoint().zone());
    for (EndpointState e : all) {
      if (out.size() >= MAX_CANDIDATES) {
        break;
      }
      if (e == chosen) {
        continue;
      }
      String verdict = passedOver(e, picks, now, stayedLocal, zone);
      if (verdict == null) {
        verdict = costs != null && costs.costAt(e, now) > chosenCost ? "higher_score" : "not_picked";
      }
      out.add(new Verdict(e.endpoint().address(), e.scoreAt(now), verdict));
    }
    String labels = picks.subsetLabels();
    String service = labels == null ? cluster.service() : cluster.service() + " " + labels;
    return new PickExplanation(service, attempt, hedge, out, all.size());
  }

  /** Why {@code e} could not be picked at all, or null when it could have been. */
  private static @Nullable String passedOver(EndpointState e, PickState picks, long now, boolean stayedLocal,
      @Nullable String zone) {
    if (picks.atLimit(e)) {
      return "concurrency_limit";
    }
    if (picks.refused(e) || "OPEN".equals(e.circuitState())) {
      return "breaker_open";
    }
    if (e.ejectedAt(now)) {
      return "ejected";
    }
    if (!e.healthy()) {
      return "unhealthy";
    }
    if (picks.tried(e)) {
      return "already_tried";
    }
    if (stayedLocal && !Objects.equals(zone, e.endpoint().zone())) {
      return "other_zone";
    }
    return null;
  }

  /** One line: {@code attempt 1 of orders: 10.0.0.2:80 (score 1200000) over 10.0.0.1:80 already_tried, ...}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(64 + candidates.size() * 40);
    s.append(hedge ? "hedge " : "attempt ").append(attempt).append(" of ").append(service).append(": ")
        .append(chosen().endpoint()).append(" (score ").append(format(chosen().score())).append(')');
    for (int i = 1; i < candidates.size(); i++) {
      Verdict v = candidates.get(i);
      s.append(i == 1 ? " over " : ", ").append(v.endpoint()).append(' ').append(v.verdict())
          .append(" (score ").append(format(v.score())).append(')');
    }
    if (considered > candidates.size()) {
      s.append(" and ").append(considered - candidates.size()).append(" more");
    }
    return s.toString();
  }

  /** A score as text: whole nanoseconds, or scientific notation when huge. */
  public static String format(double score) {
    return score < 1e12 ? String.valueOf(Math.round(score)) : String.format(Locale.ROOT, "%.2e", score);
  }
}
