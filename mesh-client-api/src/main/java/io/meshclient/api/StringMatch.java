package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A test on one string of a request: its path, a header or a query parameter. The value must be
 * {@linkplain #exact(String) equal}, {@linkplain #prefix(String) start with}, or {@linkplain
 * #regex(String) match a regular expression} in full; or simply be {@linkplain #present() present}
 * or {@linkplain #absent() absent}.
 *
 * <pre>{@code
 * StringMatch beta = StringMatch.exact("beta");
 * StringMatch api = StringMatch.prefix("/api/");
 * StringMatch uuid = StringMatch.regex("/orders/[0-9a-f-]{36}");
 * beta.matches("beta"); // true
 * }</pre>
 *
 * <p>Each factory checks its argument at once: a bad regular expression throws
 * {@link MeshConfigException} with the path {@code regex}. Immutable and thread-safe.
 */
public final class StringMatch {
  /** How a {@link StringMatch} tests a value. */
  public enum Kind {
    /** The value equals the given string. */
    EXACT,
    /** The value starts with the given string. */
    PREFIX,
    /** The whole value matches the given regular expression. */
    REGEX,
    /** The value is there, whatever it is. */
    PRESENT,
    /** The value is not there. */
    ABSENT
  }

  private static final StringMatch PRESENT = new StringMatch(Kind.PRESENT, "", null);
  private static final StringMatch ABSENT = new StringMatch(Kind.ABSENT, "", null);

  private final Kind kind;
  private final String value;
  private final @Nullable Pattern pattern;

  private StringMatch(Kind kind, String value, @Nullable Pattern pattern) {
    this.kind = kind;
    this.value = value;
    this.pattern = pattern;
  }

  /** Matches a value equal to {@code value} (case-sensitive). */
  public static StringMatch exact(String value) {
    return new StringMatch(Kind.EXACT, requireNonNull(value, "value"), null);
  }

  /**
   * Matches a value that starts with {@code prefix}.
   *
   * @throws MeshConfigException if {@code prefix} is empty (use {@link #present()})
   */
  public static StringMatch prefix(String prefix) {
    if (requireNonNull(prefix, "prefix").isEmpty()) {
      throw new MeshConfigException("prefix", prefix, "a non-empty prefix (for any value: present)");
    }
    return new StringMatch(Kind.PREFIX, prefix, null);
  }

  /**
   * Matches a value that {@code regex} matches as a whole (Java syntax, as
   * {@link java.util.regex.Matcher#matches()}).
   *
   * @throws MeshConfigException if {@code regex} is not a valid regular expression
   */
  public static StringMatch regex(String regex) {
    requireNonNull(regex, "regex");
    try {
      return new StringMatch(Kind.REGEX, regex, Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      throw new MeshConfigException("regex", regex, "a Java regular expression (" + e.getDescription()
          + " near index " + e.getIndex() + ")");
    }
  }

  /** Matches any value, as long as there is one. */
  public static StringMatch present() {
    return PRESENT;
  }

  /** Matches when there is no value. */
  public static StringMatch absent() {
    return ABSENT;
  }

  /** How this match tests a value. */
  public Kind kind() {
    return kind;
  }

  /** The string, prefix or regular expression given; empty for {@code PRESENT} and {@code ABSENT}. */
  public String value() {
    return value;
  }

  /** Whether {@code candidate} (null when the request has none) passes this match. */
  public boolean matches(@Nullable String candidate) {
    switch (kind) {
      case ABSENT:
        return candidate == null;
      case PRESENT:
        return candidate != null;
      case EXACT:
        return value.equals(candidate);
      case PREFIX:
        return candidate != null && candidate.startsWith(value);
      default:
        return candidate != null && pattern.matcher(candidate).matches();
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof StringMatch && kind == ((StringMatch) o).kind && value.equals(((StringMatch) o).value);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    String name = kind.name().toLowerCase(java.util.Locale.ROOT);
    return kind == Kind.PRESENT || kind == Kind.ABSENT ? name : name + " \"" + value + "\"";
  }
}
