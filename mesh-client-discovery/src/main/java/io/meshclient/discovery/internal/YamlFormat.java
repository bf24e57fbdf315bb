package io.meshclient.discovery.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The only class that names the optional YAML library, so that the classes using it load (and
 * JSON files work) without it; call it only after {@link OptionalLibrary#require} passed.
 */
public final class YamlFormat {
  private YamlFormat() {}

  /** A parser factory for YAML. */
  public static JsonFactory factory() {
    return new YAMLFactory();
  }
}
