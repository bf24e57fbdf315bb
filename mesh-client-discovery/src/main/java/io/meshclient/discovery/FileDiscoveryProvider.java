package io.meshclient.discovery;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import io.meshclient.discovery.internal.UriSettings;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code file:} scheme: {@code file:/etc/mesh/endpoints.yaml}, {@code file:///etc/mesh/endpoints.json}
 * or, relative to the working directory, {@code file:endpoints.yaml}. Settings in the query:
 * {@code poll} (how often the file is re-read in any case, default {@code 2s}) and {@code watch}
 * ({@code false} to only poll, default {@code true}). See {@link FileDiscovery}.
 *
 * <p>Stateless and thread-safe.
 */
public final class FileDiscoveryProvider implements ServiceDiscoveryProvider {
  private static final String EXPECTED = "file:/absolute/path.yaml, file:///absolute/path.json or file:relative/path.yaml";

  /** For {@link java.util.ServiceLoader}. */
  public FileDiscoveryProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("file");
  }

  @Override
  public ServiceDiscovery create(URI uri) {
    UriSettings settings = UriSettings.of(uri, Set.of("poll", "watch"));
    return FileDiscovery.builder(path(uri))
        .pollInterval(settings.duration("poll", FileDiscovery.DEFAULT_POLL_INTERVAL))
        .watch(settings.bool("watch", true))
        .build();
  }

  private static Path path(URI uri) {
    String path;
    if (uri.isOpaque()) {
      String part = uri.getSchemeSpecificPart();
      int q = part.indexOf('?');
      path = q < 0 ? part : part.substring(0, q);
    } else {
      if (uri.getAuthority() != null) {
        throw new MeshConfigException("discovery", uri.toString(), "a local file, no host: " + EXPECTED);
      }
      path = uri.getPath();
    }
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      throw new MeshConfigException("discovery", uri.toString(), "a file: " + EXPECTED);
    }
    try {
      return Path.of(path);
    } catch (InvalidPathException e) {
      throw new MeshConfigException("discovery", uri.toString(), "a valid path: " + EXPECTED);
    }
  }
}
