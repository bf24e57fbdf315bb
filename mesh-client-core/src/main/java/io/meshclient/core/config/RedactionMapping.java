package io.meshclient.core.config;

import io.meshclient.api.Redaction;

/**
 * {@code redaction}: {@code headers} are redacted besides those always redacted;
 * {@code queryParameters} replaces the default list.
 */
final class RedactionMapping {
  static final Fields<Redaction.Builder> FIELDS = new Fields<Redaction.Builder>()
      .texts("headers", (b, v) -> b.headers(v.toArray(new String[0])))
      .texts("queryParameters", (b, v) -> b.clearQueryParameters().queryParameters(v.toArray(new String[0])));

  private RedactionMapping() {}

  static Redaction read(Node node) {
    return FIELDS.read(node, Redaction.builder(), Redaction.Builder::build);
  }
}
