package io.meshclient.core.internal;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns discovery URIs ({@code dns:///orders.prod}, {@code consul://127.0.0.1:8500}) into sources
 * while a mesh is built: finds the {@link ServiceDiscoveryProvider} for the scheme (those given to
 * the builder first, then those found through {@link ServiceLoader}), creates one source per
 * distinct URI, and remembers every source it made so the mesh can close them.
 *
 * <p>Used by one thread while the mesh is built; {@link #created()} is then handed to the mesh.
 */
public final class DiscoverySources {
  private static final Logger log = LoggerFactory.getLogger(DiscoverySources.class);

  /** The artifact that holds the sources beyond {@code static}. */
  public static final String DISCOVERY_MODULE = "io.meshclient:mesh-client-discovery";

  /** Schemes the project's own modules provide, and the module that provides each. */
  private static final Map<String, String> KNOWN_SCHEMES = Map.of(
      "file", DISCOVERY_MODULE,
      "dns", DISCOVERY_MODULE,
      "dns+srv", DISCOVERY_MODULE,
      "consul", DISCOVERY_MODULE,
      "etcd", DISCOVERY_MODULE,
      "k8s", DISCOVERY_MODULE);

  private final Map<String, ServiceDiscoveryProvider> byScheme;
  private final Map<String, ServiceDiscovery> byUri = new LinkedHashMap<>();

  private DiscoverySources(Map<String, ServiceDiscoveryProvider> byScheme) {
    this.byScheme = byScheme;
  }

  /** The providers on the class path, with {@code extra} on top (they win on a scheme clash). */
  public static DiscoverySources load(List<ServiceDiscoveryProvider> extra) {
    Map<String, ServiceDiscoveryProvider> byScheme = new TreeMap<>();
    load(byScheme, DiscoverySources.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != DiscoverySources.class.getClassLoader()) {
      load(byScheme, context);
    }
    for (ServiceDiscoveryProvider provider : extra) {
      for (String scheme : provider.schemes()) {
        byScheme.put(scheme.toLowerCase(Locale.ROOT), provider);
      }
    }
    return new DiscoverySources(byScheme);
  }

  private static void load(Map<String, ServiceDiscoveryProvider> byScheme, ClassLoader loader) {
    Iterator<ServiceDiscoveryProvider> providers = ServiceLoader.load(ServiceDiscoveryProvider.class, loader).iterator();
    // A provider that cannot be loaded must not take the others down with it; a bounded number of
    // attempts keeps a loader that fails the same way forever from looping.
    for (int errors = 0; errors < 32; ) {
      try {
        if (!providers.hasNext()) {
          return;
        }
        ServiceDiscoveryProvider provider = providers.next();
        for (String scheme : provider.schemes()) {
          byScheme.putIfAbsent(scheme.toLowerCase(Locale.ROOT), provider);
        }
      } catch (ServiceConfigurationError | LinkageError e) {
        errors++;
        log.warn("skipping a discovery provider that could not be loaded: {}", e.toString());
      }
    }
  }

  /** The schemes a source can be created for, sorted. */
  public TreeSet<String> schemes() {
    return new TreeSet<>(byScheme.keySet());
  }

  /**
   * The source for {@code uri}: the one made earlier for the same URI, or a new one.
   *
   * @param path where the URI was set, {@code discovery} or {@code services.orders.discovery};
   *     errors name it
   * @throws MeshConfigException if the URI is malformed, no provider reads its scheme, or the
   *     provider rejects it
   */
  public ServiceDiscovery create(String uri, String path) {
    requireNonNull(uri, "uri");
    ServiceDiscovery made = byUri.get(uri);
    if (made != null) {
      return made;
    }
    URI parsed = parse(uri, path);
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    ServiceDiscoveryProvider provider = byScheme.get(scheme);
    if (provider == null) {
      throw missingProvider(uri, scheme, path);
    }
    ServiceDiscovery source;
    try {
      source = requireNonNull(provider.create(parsed), "the source " + provider.getClass().getName() + " created");
    } catch (MeshConfigException e) {
      throw underPath(e, path);
    }
    byUri.put(uri, source);
    return source;
  }

  /** Every source made so far, in the order they were made. */
  public List<ServiceDiscovery> created() {
    return new ArrayList<>(byUri.values());
  }

  /** Closes every source made so far; for a build that failed half way. */
  public void closeAll() {
    for (ServiceDiscovery source : byUri.values()) {
      try {
        source.close();
      } catch (RuntimeException e) {
        log.warn("closing discovery source {} failed", source, e);
      }
    }
    byUri.clear();
  }

  private static URI parse(String uri, String path) {
    try {
      URI parsed = new URI(uri);
      if (parsed.getScheme() != null) {
        return parsed;
      }
    } catch (URISyntaxException e) {
      // reported below, with what a valid value looks like
    }
    throw new MeshConfigException(path, uri, "a URI such as static:10.0.0.7:8080, file:/etc/mesh/endpoints.yaml, "
        + "dns:///orders.prod or consul://127.0.0.1:8500");
  }

  private MeshConfigException missingProvider(String uri, String scheme, String path) {
    String module = KNOWN_SCHEMES.get(scheme);
    if (module != null) {
      return new MeshConfigException(path, uri, "a source on the class path: scheme '" + scheme + "' is provided by "
          + module + "; add that dependency");
    }
    List<String> notLoaded = new ArrayList<>();
    for (String known : new TreeSet<>(KNOWN_SCHEMES.keySet())) {
      if (!byScheme.containsKey(known)) {
        notLoaded.add(known);
      }
    }
    String more = notLoaded.isEmpty() ? "" : "; " + String.join(", ", notLoaded) + " come with " + DISCOVERY_MODULE;
    return new MeshConfigException(path, uri, "a URI whose scheme is one of " + schemes() + more);
  }

  /** Re-roots a provider's error ({@code discovery...}) under {@code path}. */
  private static MeshConfigException underPath(MeshConfigException e, String path) {
    String relative = e.path();
    String rooted = relative.equals("discovery") || relative.startsWith("discovery.")
        ? path + relative.substring("discovery".length())
        : path + "." + relative;
    MeshConfigException moved = new MeshConfigException(rooted, e.value(), e.expected());
    moved.initCause(e);
    return moved;
  }
}
