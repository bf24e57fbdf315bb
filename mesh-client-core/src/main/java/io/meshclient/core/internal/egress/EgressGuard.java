package io.meshclient.core.internal.egress;

import io.meshclient.api.AccessDeniedException;
import io.meshclient.api.EgressPolicy;
import io.meshclient.api.EgressRule;
import io.meshclient.api.Redaction;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an {@link EgressPolicy} to each call before any network I/O: a denied call throws
 * {@link AccessDeniedException}, is counted under its rule, and is logged at most once per rule
 * per log interval (the line says how many more that rule denied in between). The logged URL goes
 * through {@link Redaction}, so credentials and sensitive query values never reach the log.
 *
 * <p>A policy that cannot deny costs one branch per call. Thread-safe and lock-free.
 */
public final class EgressGuard {
  private static final Logger log = LoggerFactory.getLogger(EgressGuard.class);

  private final EgressPolicy policy;
  private final boolean canDeny;
  private final Redaction redaction;
  private final Clock clock;
  private final long logIntervalMillis;
  private final Map<String, RuleState> states = new ConcurrentHashMap<>();

  public EgressGuard(EgressPolicy policy, Redaction redaction, Clock clock) {
    this.policy = policy;
    this.canDeny = policy.canDeny();
    this.redaction = redaction;
    this.clock = clock;
    this.logIntervalMillis = policy.logInterval().toMillis();
    for (EgressRule rule : policy.rules()) {
      if (rule.action() == EgressRule.Action.DENY) {
        states.put(rule.name(), new RuleState());
      }
    }
    states.put(EgressPolicy.DEFAULT_DENY_RULE, new RuleState());
  }

  /**
   * Lets the call go on, or refuses it.
   *
   * @param request the logical request: its host is the mesh service, or the host outside the mesh
   * @throws AccessDeniedException if the policy denies the call
   */
  public void check(Request request) throws AccessDeniedException {
    if (!canDeny) {
      return;
    }
    String service = request.url().host();
    String rule = policy.deniedBy(service, request.method(), request.url().encodedPath());
    if (rule == null) {
      return;
    }
    RuleState state = states.get(rule);
    state.denied.increment();
    long now = clock.millis();
    long next = state.nextLogAt.get();
    if (now >= next && state.nextLogAt.compareAndSet(next, now + logIntervalMillis)) {
      long skipped = state.unlogged.sumThenReset();
      log.warn("egress: denied {} {} by rule '{}'{}", request.method(), redaction.url(request.url().toString()), rule,
          skipped == 0 ? "" : " (and " + skipped + " more call(s) by this rule since the last report)");
    } else {
      state.unlogged.increment();
    }
    throw new AccessDeniedException(service, rule);
  }

  /** Calls denied so far, by rule name; rules that denied nothing are left out. */
  public Map<String, Long> deniedByRule() {
    Map<String, Long> counts = new TreeMap<>();
    states.forEach((rule, state) -> {
      long denied = state.denied.sum();
      if (denied > 0) {
        counts.put(rule, denied);
      }
    });
    return counts;
  }

  @Override
  public String toString() {
    return "EgressGuard{" + policy + "}";
  }

  private static final class RuleState {
    final LongAdder denied = new LongAdder();
    final LongAdder unlogged = new LongAdder();
    final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
  }
}
