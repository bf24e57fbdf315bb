package io.meshclient.core.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshclient.api.MeshConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a {@link MeshConfig} from YAML or JSON. Every field is checked: a field the model does not
 * have, a value of the wrong type and a value a policy refuses all fail with
 * {@link MeshConfigException} naming the path ({@code services.orders.retry.maxAttempts}), the
 * value and what was expected. Durations are written {@code 250ms}, {@code 2s}, {@code 1m}.
 *
 * <pre>{@code
 * defaults:
 *   timeouts: {timeout: 2s, perTryTimeout: 500ms}
 * services:
 *   orders:
 *     endpoints:
 *       - {host: 10.0.0.7, port: 8080}
 *       - {host: 10.0.0.8, port: 8080}
 *     loadBalancer: least_request
 *     retry: {maxAttempts: 2}
 * }</pre>
 *
 * <p>YAML needs {@code com.fasterxml.jackson.dataformat:jackson-dataformat-yaml} on the class path
 * (an optional dependency of this module); JSON works without it. The reference of every field is
 * {@code docs/configuration.md}. Stateless and thread-safe.
 */
public final class MeshConfigFile {
  private static final String YAML_CLASS = "com.fasterxml.jackson.dataformat.yaml.YAMLFactory";
  private static final String YAML_ARTIFACT = "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml";

  private MeshConfigFile() {}

  /**
   * Reads {@code file}: JSON if its name ends in {@code .json}, YAML otherwise.
   *
   * @throws IOException if the file cannot be read
   * @throws MeshConfigException if its content is not a valid configuration
   */
  public static MeshConfig load(Path file) throws IOException {
    return parse(file, Files.readAllBytes(file));
  }

  /**
   * Reads {@code content}, the bytes of {@code file}, as {@link #load} reads the file: JSON if its
   * name ends in {@code .json}, YAML otherwise.
   *
   * @throws CharacterCodingException if the bytes are not UTF-8
   * @throws MeshConfigException if the content is not a valid configuration
   */
  static MeshConfig parse(Path file, byte[] content) throws CharacterCodingException {
    String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
    boolean json = file.getFileName() != null
        && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    return parse(text, json ? new JsonFactory() : yaml(file.toString()), file.getFileName() + "");
  }

  /**
   * Reads a configuration written in YAML.
   *
   * @throws MeshConfigException if it is not a valid configuration
   */
  public static MeshConfig parseYaml(String yaml) {
    return parse(yaml, yaml("YAML text"), "YAML");
  }

  /**
   * Reads a configuration written in JSON.
   *
   * @throws MeshConfigException if it is not a valid configuration
   */
  public static MeshConfig parseJson(String json) {
    return parse(json, new JsonFactory(), "JSON");
  }

  /**
   * Reads a configuration from a tree another front end made (Spring Boot's properties); error
   * paths start with {@code rootPath} ({@code mesh.services.orders.retry.maxAttempts}).
   *
   * @param rootPath the path of the tree's root, or empty
   * @throws MeshConfigException if it is not a valid configuration
   */
  public static MeshConfig read(JsonNode tree, String rootPath) {
    return MeshConfigMapping.read(new Node(tree, rootPath));
  }

  private static MeshConfig parse(String content, JsonFactory format, String source) {
    format.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    JsonNode tree;
    try {
      tree = new ObjectMapper(format).readTree(content);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? source : source + " line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new MeshConfigException(where, e.getOriginalMessage(), "well-formed " + (format.getFormatName()));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = JsonNodeFactory.instance.objectNode(); // an empty file: every default
    }
    return read(tree, "");
  }

  private static JsonFactory yaml(String what) {
    try {
      Class.forName(YAML_CLASS, false, MeshConfigFile.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MeshConfigException("format", what, YAML_ARTIFACT + " on the class path to read YAML (or a .json file)");
    }
    return YamlFormat.factory();
  }
}
