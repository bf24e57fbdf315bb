package io.meshclient.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The only class that names the optional YAML module, so that JSON files work without it; used
 * only after a check that the module is on the class path.
 */
final class YamlFormat {
  private YamlFormat() {}

  static JsonFactory factory() {
    return new YAMLFactory();
  }
}
