package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which calls this client may make: egress access control, applied before any network I/O to
 * every call through the mesh's OkHttp client — calls to mesh services and to other hosts alike.
 *
 * <p>A call is denied when any {@linkplain EgressRule.Action#DENY deny} rule matches it; otherwise
 * it is allowed when any {@linkplain EgressRule.Action#ALLOW allow} rule matches; otherwise the
 * {@linkplain #defaultAction() default action} decides. The order of the rules does not matter.
 * A denied call fails with {@link AccessDeniedException}, is counted per rule, and is logged at
 * most once per rule per {@linkplain #logInterval() log interval}.
 *
 * <pre>{@code
 * EgressPolicy egress = EgressPolicy.builder()
 *     .defaultAction(EgressRule.Action.DENY)            // deny what no rule allows
 *     .allow("orders", "users")                         // mesh services
 *     .rule(EgressRule.allow("inventory").methods("GET").build())
 *     .allow("*.googleapis.com")                        // a host outside the mesh
 *     .deny("payments")
 *     .build();
 * }</pre>
 *
 * <p>With a deny-by-default policy, a call to a host that is not a mesh service needs an allow
 * rule naming that host, like any service.
 *
 * <p>Immutable and thread-safe.
 */
public final class EgressPolicy {
  /** The rule name a call denied by the default action is reported under. */
  public static final String DEFAULT_DENY_RULE = "default-deny";

  /** How often each rule logs the calls it denies, at most: once a minute. */
  public static final Duration DEFAULT_LOG_INTERVAL = Duration.ofMinutes(1);

  private static final EgressPolicy ALLOW_ALL = builder().build();

  private final EgressRule.Action defaultAction;
  private final List<EgressRule> rules;
  private final Duration logInterval;

  private EgressPolicy(Builder b) {
    this.defaultAction = b.defaultAction;
    this.rules = List.copyOf(b.rules);
    this.logInterval = b.logInterval;
  }

  /** The default: no rules, every call allowed. */
  public static EgressPolicy allowAll() {
    return ALLOW_ALL;
  }

  /** A builder starting from the default: no rules, allow by default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder().defaultAction(defaultAction).logInterval(logInterval);
    rules.forEach(b::rule);
    return b;
  }

  /** What happens to a call no rule matches: {@code ALLOW} unless set. */
  public EgressRule.Action defaultAction() {
    return defaultAction;
  }

  /** The rules, in the order given (which does not change the outcome). */
  public List<EgressRule> rules() {
    return rules;
  }

  /** The shortest time between two log lines about one rule's denials. */
  public Duration logInterval() {
    return logInterval;
  }

  /** Whether the policy can deny a call at all: it has a deny rule or denies by default. */
  public boolean canDeny() {
    return defaultAction == EgressRule.Action.DENY
        || rules.stream().anyMatch(r -> r.action() == EgressRule.Action.DENY);
  }

  /**
   * The rule that denies a call, or {@code null} if the call is allowed.
   *
   * @param service the mesh service, or the host of a call outside the mesh (lower case)
   * @param method the HTTP method
   * @param encodedPath the request's encoded path
   * @return the denying rule's name ({@value #DEFAULT_DENY_RULE} for the default action), or null
   */
  public @Nullable String deniedBy(String service, String method, String encodedPath) {
    boolean allowed = false;
    for (EgressRule rule : rules) {
      if (rule.matches(service, method, encodedPath)) {
        if (rule.action() == EgressRule.Action.DENY) {
          return rule.name();
        }
        allowed = true;
      }
    }
    return allowed || defaultAction == EgressRule.Action.ALLOW ? null : DEFAULT_DENY_RULE;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof EgressPolicy
        && defaultAction == ((EgressPolicy) o).defaultAction
        && rules.equals(((EgressPolicy) o).rules)
        && logInterval.equals(((EgressPolicy) o).logInterval);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(defaultAction, rules, logInterval);
  }

  @Override
  public String toString() {
    return "EgressPolicy{default=" + defaultAction + ", rules=" + rules + ", logInterval=" + logInterval + "}";
  }

  /** Builds an {@link EgressPolicy}; {@link #build()} checks the values. Not thread-safe. */
  public static final class Builder {
    private EgressRule.Action defaultAction = EgressRule.Action.ALLOW;
    private final List<EgressRule> rules = new ArrayList<>();
    private Duration logInterval = DEFAULT_LOG_INTERVAL;

    private Builder() {}

    /** What happens to a call no rule matches; {@code DENY} makes an allow list. */
    public Builder defaultAction(EgressRule.Action defaultAction) {
      this.defaultAction = requireNonNull(defaultAction, "defaultAction");
      return this;
    }

    /** Adds a rule allowing every call to {@code services}. */
    public Builder allow(String... services) {
      return rule(EgressRule.allow(services).build());
    }

    /** Adds a rule denying every call to {@code services}. */
    public Builder deny(String... services) {
      return rule(EgressRule.deny(services).build());
    }

    /** Adds a rule. */
    public Builder rule(EgressRule rule) {
      rules.add(requireNonNull(rule, "rule"));
      return this;
    }

    /** Sets the shortest time between two log lines about one rule's denials. */
    public Builder logInterval(Duration logInterval) {
      this.logInterval = requireNonNull(logInterval, "logInterval");
      return this;
    }

    /**
     * Checks the values and builds the policy.
     *
     * @throws MeshConfigException if two rules share a name or the log interval is negative
     */
    public EgressPolicy build() {
      Set<String> names = new HashSet<>();
      names.add(DEFAULT_DENY_RULE);
      for (int i = 0; i < rules.size(); i++) {
        if (!names.add(rules.get(i).name())) {
          throw new MeshConfigException("egress.rules[" + i + "].name", rules.get(i).name(),
              "a name no other rule has (nor " + DEFAULT_DENY_RULE + ")");
        }
      }
      if (logInterval.isNegative()) {
        throw new MeshConfigException("egress.logInterval", logInterval, ">= 0s (0s logs every denial)");
      }
      return new EgressPolicy(this);
    }
  }
}
