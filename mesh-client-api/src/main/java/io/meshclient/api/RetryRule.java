package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Which failed attempts are worth another try: a composable value. The built-in rules are
 * {@linkplain #connectFailure() connect failures}, {@linkplain #reset() connections reset or
 * closed mid-exchange}, {@linkplain #timeout() per-try timeouts}, {@linkplain #statuses chosen
 * statuses}, {@linkplain #serverErrors() every 5xx}, {@linkplain #gatewayErrors() the gateway errors
 * 502/503/504}, {@linkplain #exceptions chosen exception types} and {@linkplain #when a predicate of
 * your own}; {@link #or} and {@link #and} combine them.
 *
 * <pre>{@code
 * RetryRule rule = RetryRule.connectFailure()
 *     .or(RetryRule.gatewayErrors())
 *     .or(RetryRule.when(o -> o.statusCode() == 409 && "retry".equals(o.header("x-conflict"))));
 * }</pre>
 *
 * <p>A rule decides what kind of failure is retried; whether a request may be sent twice at all is
 * decided by its method and body (see {@link RetryPolicy}): a connect failure is retried for every
 * method, since nothing was sent. Rules built from the named factories are equal when they say the
 * same thing, so two configurations can be compared; rules from {@link #when} are equal only to
 * themselves.
 *
 * <p>Implementations must be immutable and thread-safe.
 */
@FunctionalInterface
public interface RetryRule {
  /** The rule used unless one is set: connect failure, reset, timeout, or 502/503/504. */
  RetryRule DEFAULT = Named.of("connect_failure").or(Named.of("reset")).or(Named.of("timeout"))
      .or(Named.of("gateway"));

  /** Whether the attempt that ended with {@code outcome} should be tried again. */
  boolean shouldRetry(Outcome outcome);

  /** A rule that retries when this one or {@code other} says so. */
  default RetryRule or(RetryRule other) {
    return new Any(this, requireNonNull(other, "other"));
  }

  /** A rule that retries only when this one and {@code other} both say so. */
  default RetryRule and(RetryRule other) {
    requireNonNull(other, "other");
    RetryRule self = this;
    return new RetryRule() {
      @Override
      public boolean shouldRetry(Outcome outcome) {
        return self.shouldRetry(outcome) && other.shouldRetry(outcome);
      }

      @Override
      public String toString() {
        return "(" + self + " and " + other + ")";
      }
    };
  }

  /** Retries nothing. */
  static RetryRule never() {
    return Named.of("never");
  }

  /** The connection could not be made (refused, no route, unknown host, connect timeout): nothing was sent. */
  static RetryRule connectFailure() {
    return Named.of("connect_failure");
  }

  /**
   * The connection broke after it was made (reset, closed, unexpected end of stream): a failure
   * that is, or is caused by, a {@link java.net.SocketException} (such as "Connection reset" or
   * "Broken pipe"), an {@link java.io.EOFException}, or OkHttp's HTTP/2 stream reset or connection
   * shutdown. Not a per-try timeout, and not a TLS ({@link javax.net.ssl.SSLException}) or
   * protocol ({@link java.net.ProtocolException}) error, which another try would likely meet again.
   */
  static RetryRule reset() {
    return Named.of("reset");
  }

  /** The attempt ran out of its per-try timeout. */
  static RetryRule timeout() {
    return Named.of("timeout");
  }

  /** Every 5xx status. */
  static RetryRule serverErrors() {
    return Named.of("5xx");
  }

  /** The gateway errors 502, 503 and 504: an endpoint that is down, overloaded or slow behind a proxy. */
  static RetryRule gatewayErrors() {
    return Named.of("gateway");
  }

  /** The given statuses (each 400..599). */
  static RetryRule statuses(int... statuses) {
    int[] copy = statuses.clone();
    Arrays.sort(copy);
    for (int status : copy) {
      if (status < 400 || status > 599) {
        throw new MeshConfigException("retry.retryOn", status, "an HTTP error status, 400..599");
      }
    }
    return new Statuses(copy);
  }

  /** Failures that are instances of one of {@code types} (or caused by one). */
  @SafeVarargs
  static RetryRule exceptions(Class<? extends Throwable>... types) {
    List<Class<? extends Throwable>> list = List.of(types);
    return new RetryRule() {
      @Override
      public boolean shouldRetry(Outcome outcome) {
        for (Throwable t = outcome.failure(); t != null; t = t.getCause()) {
          for (Class<? extends Throwable> type : list) {
            if (type.isInstance(t)) {
              return true;
            }
          }
        }
        return false;
      }

      @Override
      public String toString() {
        return "exceptions" + list;
      }
    };
  }

  /** A predicate of your own over the outcome (its status, headers, failure). */
  static RetryRule when(Predicate<Outcome> predicate) {
    requireNonNull(predicate, "predicate");
    return predicate::test;
  }

  /**
   * The rule a configuration file names: a list of {@code connect_failure}, {@code reset},
   * {@code timeout}, {@code 5xx}, {@code gateway}, {@code never} and status codes such as
   * {@code 503}, any of which retries.
   *
   * @param path the configuration path, for the error
   * @throws MeshConfigException naming an unknown entry
   */
  static RetryRule parse(String path, List<String> names) {
    if (names.isEmpty()) {
      return never();
    }
    RetryRule rule = null;
    List<Integer> codes = new ArrayList<>();
    for (String raw : names) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      RetryRule next;
      if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
        int code = Integer.parseInt(name);
        if (code < 400 || code > 599) {
          throw new MeshConfigException(path, raw, "an HTTP error status, 400..599");
        }
        codes.add(code);
        continue;
      } else if (Named.NAMES.contains(name)) {
        next = Named.of(name);
      } else {
        throw new MeshConfigException(path, raw,
            "one of connect_failure, reset, timeout, 5xx, gateway, never, or a status 400..599");
      }
      rule = rule == null ? next : rule.or(next);
    }
    if (!codes.isEmpty()) {
      RetryRule statuses = statuses(codes.stream().mapToInt(Integer::intValue).toArray());
      rule = rule == null ? statuses : rule.or(statuses);
    }
    return rule;
  }

  /** How an attempt ended, as a {@link RetryRule} sees it. */
  interface Outcome {
    /** The request's method. */
    String method();

    /** The response status, or 0 when the attempt failed without one. */
    int statusCode();

    /** The response header {@code name}, or null (always null without a response). */
    @Nullable String header(String name);

    /** The failure, or null when a response arrived. */
    @Nullable IOException failure();

    /** Whether the failure happened before a connection existed, so nothing was sent. */
    boolean connectFailure();

    /** Whether the failure is the attempt's own per-try timeout. */
    boolean timedOut();
  }

  /** A built-in rule, equal to another of the same name. */
  final class Named implements RetryRule {
    static final Set<String> NAMES = Set.of("never", "connect_failure", "reset", "timeout", "5xx", "gateway");
    private final String name;

    private Named(String name) {
      this.name = name;
    }

    static Named of(String name) {
      return new Named(name);
    }

    @Override
    public boolean shouldRetry(Outcome o) {
      int code = o.statusCode();
      switch (name) {
        case "connect_failure":
          return o.failure() != null && o.connectFailure();
        case "reset":
          IOException failure = o.failure();
          return failure != null && !o.connectFailure() && !o.timedOut() && isReset(failure);
        case "timeout":
          return o.failure() != null && o.timedOut();
        case "5xx":
          return code >= 500 && code <= 599;
        case "gateway":
          return code == 502 || code == 503 || code == 504;
        default:
          return false;
      }
    }

    /** The OkHttp failures that mean the connection or stream was torn down, by name: the api needs no OkHttp. */
    private static final Set<String> OKHTTP_RESETS = Set.of("okhttp3.internal.http2.StreamResetException",
        "okhttp3.internal.http2.ConnectionShutdownException");

    /**
     * Whether {@code failure} or one of its causes says the connection broke: a socket error, an
     * end of stream, or OkHttp's stream reset or connection shutdown. A TLS error on the way is not a
     * reset, whatever it wraps (a handshake cut short carries an {@code EOFException}).
     */
    private static boolean isReset(Throwable failure) {
      Throwable t = failure;
      // Bounded, so a cause cycle cannot hold the call.
      for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
        if (t instanceof SSLException) {
          return false;
        }
        if (t instanceof SocketException || t instanceof EOFException
            || OKHTTP_RESETS.contains(t.getClass().getName())) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Named && ((Named) other).name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Chosen statuses. */
  final class Statuses implements RetryRule {
    private final int[] codes;

    private Statuses(int[] codes) {
      this.codes = codes;
    }

    @Override
    public boolean shouldRetry(Outcome o) {
      return Arrays.binarySearch(codes, o.statusCode()) >= 0;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Statuses && Arrays.equals(((Statuses) other).codes, codes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(codes);
    }

    @Override
    public String toString() {
      TreeSet<Integer> set = new TreeSet<>();
      for (int c : codes) {
        set.add(c);
      }
      return set.toString();
    }
  }

  /** Any of several rules, flattened so that equal alternatives compare equal whatever their grouping. */
  final class Any implements RetryRule {
    private final List<RetryRule> rules;

    private Any(RetryRule a, RetryRule b) {
      List<RetryRule> all = new ArrayList<>();
      for (RetryRule r : List.of(a, b)) {
        if (r instanceof Any) {
          for (RetryRule inner : ((Any) r).rules) {
            if (!all.contains(inner)) {
              all.add(inner);
            }
          }
        } else if (!all.contains(r)) {
          all.add(r);
        }
      }
      this.rules = List.copyOf(all);
    }

    @Override
    public boolean shouldRetry(Outcome outcome) {
      for (RetryRule rule : rules) {
        if (rule.shouldRetry(outcome)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Any && Set.copyOf(((Any) other).rules).equals(Set.copyOf(rules));
    }

    @Override
    public int hashCode() {
      return Set.copyOf(rules).hashCode();
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      for (RetryRule r : rules) {
        s.append(s.length() == 0 ? "" : " or ").append(r);
      }
      return s.toString();
    }
  }
}
