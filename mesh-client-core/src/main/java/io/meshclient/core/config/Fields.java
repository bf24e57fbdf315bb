package io.meshclient.core.config;

import io.meshclient.api.MeshConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The fields one section of the configuration accepts, each with the code that sets it on the
 * section's builder: the one place a section's names live. {@link #apply} rejects a field not
 * listed here with its path (even one left empty), skips a known field left empty ({@code null}), and moves errors the builders raise to the path of the file.
 *
 * <pre>{@code
 * static final Fields<RetryPolicy.Builder> FIELDS = new Fields<RetryPolicy.Builder>()
 *     .integer("maxAttempts", RetryPolicy.Builder::maxAttempts)
 *     .duration("initialBackoff", RetryPolicy.Builder::initialBackoff);
 * }</pre>
 *
 * @param <B> what the fields are set on: a policy builder, or a small holder of several
 */
final class Fields<B> {
  /** Sets one field from its value in the tree. */
  interface Setter<B> {
    void set(B target, Node value);
  }

  private final Map<String, Setter<B>> setters = new LinkedHashMap<>();

  Fields<B> field(String name, Setter<B> setter) {
    if (setters.put(name, setter) != null) {
      throw new IllegalStateException("field " + name + " listed twice");
    }
    return this;
  }

  Fields<B> integer(String name, BiConsumer<B, Integer> setter) {
    return field(name, (b, v) -> setter.accept(b, v.integer()));
  }

  Fields<B> decimal(String name, BiConsumer<B, Double> setter) {
    return field(name, (b, v) -> setter.accept(b, v.decimal()));
  }

  Fields<B> bool(String name, BiConsumer<B, Boolean> setter) {
    return field(name, (b, v) -> setter.accept(b, v.bool()));
  }

  Fields<B> text(String name, BiConsumer<B, String> setter) {
    return field(name, (b, v) -> setter.accept(b, v.text()));
  }

  Fields<B> texts(String name, BiConsumer<B, List<String>> setter) {
    return field(name, (b, v) -> setter.accept(b, v.texts()));
  }

  Fields<B> duration(String name, BiConsumer<B, Duration> setter) {
    return field(name, (b, v) -> setter.accept(b, v.duration()));
  }

  /** Takes in every field of {@code other}, set on the part of this target {@code part} returns. */
  <P> Fields<B> include(Fields<P> other, Function<B, P> part) {
    other.setters.forEach((name, setter) -> field(name, (b, v) -> setter.set(part.apply(b), v)));
    return this;
  }

  /**
   * Sets every field {@code node} holds on {@code target}.
   *
   * @throws MeshConfigException at the path of an unknown field or a bad value
   */
  void apply(Node node, B target) {
    for (Map.Entry<String, Node> field : node.allFields().entrySet()) {
      Setter<B> setter = setters.get(field.getKey());
      Node value = field.getValue();
      if (setter == null) { // checked before an empty value is skipped: `retyr:` is a typo all the same
        throw new MeshConfigException(value.path, Node.shown(value.json), "a known field here: one of " + setters.keySet());
      }
      if (value.json.isNull()) {
        continue; // a known field written but left empty keeps its default
      }
      try {
        setter.set(target, value);
      } catch (MeshConfigException e) {
        if (within(e.path(), value.path)) {
          throw e; // a nested section's error: already names its place in the file
        }
        MeshConfigException at = new MeshConfigException(value.path, e.value(), e.expected());
        at.initCause(e);
        throw at;
      }
    }
  }

  /** Applies {@code node} to {@code target}, then builds it; a failed build names the field in the file. */
  <T> T read(Node node, B target, Function<B, T> build) {
    apply(node, target);
    try {
      return build.apply(target);
    } catch (MeshConfigException e) {
      throw within(e.path(), node.path) ? e : moved(e, node.path);
    }
  }

  private static boolean within(String path, String section) {
    return path.equals(section) || path.startsWith(section + ".") || path.startsWith(section + "[");
  }

  /** The names accepted, in order. */
  java.util.Set<String> names() {
    return setters.keySet();
  }

  /**
   * A builder's error under the section at {@code sectionPath}: the builder names its own section
   * first ({@code retry.maxAttempts}), which the path in the file replaces
   * ({@code services.orders.retry.maxAttempts}).
   */
  static MeshConfigException moved(MeshConfigException e, String sectionPath) {
    String own = e.path();
    int dot = own.indexOf('.');
    int bracket = own.indexOf('[');
    int cut = dot < 0 ? bracket : bracket < 0 ? dot : Math.min(dot, bracket);
    String path = cut < 0 ? sectionPath : sectionPath + own.substring(cut);
    MeshConfigException moved = new MeshConfigException(path, e.value(), e.expected());
    moved.initCause(e);
    return moved;
  }
}
