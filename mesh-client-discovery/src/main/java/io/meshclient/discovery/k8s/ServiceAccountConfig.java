package io.meshclient.discovery.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.OAuthTokenProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client configuration of a pod: the API server from {@code KUBERNETES_SERVICE_HOST} and
 * {@code _PORT}, the CA, namespace and token from the mounted service account. The token is read
 * from its file again for every request the client makes (lists, watch connections), so a token
 * the kubelet rotated is used from the next request on.
 */
final class ServiceAccountConfig {
  static final Path MOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

  private ServiceAccountConfig() {}

  /** The in-cluster configuration, or null when not running in a pod. */
  static @Nullable Config inCluster(Map<String, String> env, Path mount) {
    String host = env.get("KUBERNETES_SERVICE_HOST");
    String port = env.get("KUBERNETES_SERVICE_PORT");
    if (host == null || port == null || !Files.isReadable(mount.resolve("token"))) {
      return null;
    }
    return config(mount, "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
  }

  /** The configuration of the service account mounted at {@code mount}, for {@code masterUrl}. */
  static Config config(Path mount, String masterUrl) {
    ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(masterUrl)
        .withOauthTokenProvider(new TokenFile(mount.resolve("token")));
    Path ca = mount.resolve("ca.crt");
    if (Files.isReadable(ca)) {
      config.withCaCertFile(ca.toString());
    }
    Path namespace = mount.resolve("namespace");
    if (Files.isReadable(namespace)) {
      try {
        config.withNamespace(Files.readString(namespace, StandardCharsets.UTF_8).trim());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + namespace, e);
      }
    }
    return config.build();
  }

  /** A bearer token read from its file on every call. */
  private static final class TokenFile implements OAuthTokenProvider {
    private final Path file;

    TokenFile(Path file) {
      this.file = file;
    }

    @Override
    public String getToken() {
      try {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the service account token " + file, e);
      }
    }
  }
}
