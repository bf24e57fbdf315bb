package io.meshclient.core.config;

import io.meshclient.api.TlsPolicy;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** {@code tls}: the fields of {@link TlsPolicy}; a store and its password are two fields here. */
final class TlsMapping {
  /** The builder, and the store paths and passwords, which the builder takes in pairs. */
  static final class Target {
    final TlsPolicy.Builder builder = TlsPolicy.builder();
    @Nullable Path keyStore;
    @Nullable String keyStorePassword;
    @Nullable Path trustStore;
    @Nullable String trustStorePassword;
  }

  static final Fields<Target> FIELDS = new Fields<Target>()
      .field("mode", (t, v) -> t.builder.mode(v.enumValue(TlsPolicy.Mode.class)))
      .field("certificateChain", (t, v) -> t.builder.certificateChain(path(v)))
      .field("privateKey", (t, v) -> t.builder.privateKey(path(v)))
      .field("keyStore", (t, v) -> t.keyStore = path(v))
      .text("keyStorePassword", (t, v) -> t.keyStorePassword = v)
      .text("keyStoreType", (t, v) -> t.builder.keyStoreType(v))
      .field("trustBundle", (t, v) -> t.builder.trustBundle(path(v)))
      .field("trustStore", (t, v) -> t.trustStore = path(v))
      .text("trustStorePassword", (t, v) -> t.trustStorePassword = v)
      .text("trustStoreType", (t, v) -> t.builder.trustStoreType(v))
      .texts("protocols", (t, v) -> t.builder.protocols(v.toArray(new String[0])))
      .duration("reloadInterval", (t, v) -> t.builder.reloadInterval(v));

  private TlsMapping() {}

  static TlsPolicy read(Node node) {
    return FIELDS.read(node, new Target(), t -> {
      if (t.keyStore != null) {
        t.builder.keyStore(t.keyStore, t.keyStorePassword);
      }
      if (t.trustStore != null) {
        t.builder.trustStore(t.trustStore, t.trustStorePassword);
      }
      return t.builder.build();
    });
  }

  static Path path(Node node) {
    try {
      return Path.of(node.text());
    } catch (InvalidPathException e) {
      throw node.bad("a file path");
    }
  }
}
