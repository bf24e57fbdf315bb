package io.meshclient.core.config;

import io.meshclient.api.MeshConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as people write them in configuration files: a whole number and a unit
 * ({@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}, also {@code ns}, {@code us} and {@code d}),
 * a bare {@code 0}, or ISO-8601 ({@code PT0.25S}, which Spring and {@link Duration#toString()}
 * write).
 */
final class Durations {
  static final String EXPECTED = "a duration such as 250ms, 2s or 1m (units: ns, us, ms, s, m, h, d)";

  private static final Pattern SIMPLE = Pattern.compile("(\\d{1,18})\\s*(ns|us|ms|s|m|h|d)");

  private Durations() {}

  static Duration parse(String text, String path) {
    String trimmed = text.trim();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SIMPLE.matcher(trimmed);
    try {
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ns": return Duration.ofNanos(amount);
          case "us": return Duration.ofNanos(Math.multiplyExact(amount, 1000L));
          case "ms": return Duration.ofMillis(amount);
          case "s": return Duration.ofSeconds(amount);
          case "m": return Duration.ofMinutes(amount);
          case "h": return Duration.ofHours(amount);
          default: return Duration.ofDays(amount);
        }
      }
      if (trimmed.startsWith("P") || trimmed.startsWith("-P")) {
        return Duration.parse(trimmed);
      }
    } catch (ArithmeticException | DateTimeParseException e) {
      // falls through to the error below
    }
    throw new MeshConfigException(path, text, EXPECTED);
  }
}
