package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Bad configuration: thrown when a builder's {@code build()} finds a value it cannot use. The
 * message names the field path, the value and what was expected, for example
 * {@code retry.maxAttempts: 0 (expected: >= 1)}.
 *
 * <p>An unchecked exception: configuration is fixed when the program is written or deployed, so
 * there is nothing a caller could do at run time but report it.
 *
 * <pre>{@code
 * try {
 *   RetryPolicy.builder().maxAttempts(0).build();
 * } catch (MeshConfigException e) {
 *   e.path();     // "retry.maxAttempts"
 *   e.expected(); // ">= 1"
 * }
 * }</pre>
 */
public final class MeshConfigException extends IllegalArgumentException {
  private final String path;
  private final @Nullable Object value;
  private final String expected;

  /**
   * Creates an exception for the value at {@code path}.
   *
   * @param path the field path, dotted from the root the caller knows ({@code retry.maxAttempts})
   * @param value the rejected value, as given
   * @param expected what the field accepts ({@code >= 1})
   */
  public MeshConfigException(String path, @Nullable Object value, String expected) {
    super(format(path, value, expected));
    this.path = requireNonNull(path, "path");
    this.value = value;
    this.expected = requireNonNull(expected, "expected");
  }

  /** The dotted path of the bad field, e.g. {@code services.orders.retry.maxAttempts}. */
  public String path() {
    return path;
  }

  /** The rejected value as given, or {@code null} if none was given. */
  public @Nullable Object value() {
    return value;
  }

  /** What the field accepts, e.g. {@code >= 1}. */
  public String expected() {
    return expected;
  }

  /**
   * The same error under a parent path: {@code withParent("services.orders")} turns
   * {@code retry.maxAttempts} into {@code services.orders.retry.maxAttempts}.
   */
  public MeshConfigException withParent(String parent) {
    MeshConfigException moved = new MeshConfigException(parent + "." + path, value, expected);
    moved.initCause(this);
    return moved;
  }

  private static String format(String path, @Nullable Object value, String expected) {
    String shown = value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
    return path + ": " + shown + " (expected: " + expected + ")";
  }
}
