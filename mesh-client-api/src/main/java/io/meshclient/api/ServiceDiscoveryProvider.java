package io.meshclient.api;

import java.net.URI;
import java.util.Set;

/**
 * Creates {@link ServiceDiscovery} sources from URIs such as {@code dns:///orders.prod.svc} or
 * {@code consul://127.0.0.1:8500}: the pluggable half of discovery. Providers are found through
 * {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.meshclient.api.ServiceDiscoveryProvider} (it needs a public
 * no-argument constructor), and the mesh picks the one whose {@link #schemes()} holds the URI's
 * scheme.
 *
 * <pre>{@code
 * public final class MyRegistryProvider implements ServiceDiscoveryProvider {
 *   public Set<String> schemes() { return Set.of("myregistry"); }
 *   public ServiceDiscovery create(URI uri) { return new MyRegistryDiscovery(uri); }
 * }
 * }</pre>
 *
 * <p>A provider whose source needs an optional library must still load without it: it checks
 * for the library in {@link #create} and fails there with a {@link MeshConfigException} that names
 * the artifact to add, never with a {@link NoClassDefFoundError} while being loaded.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface ServiceDiscoveryProvider {
  /** The URI schemes this provider reads, in lower case, e.g. {@code dns} and {@code dns+srv}. */
  Set<String> schemes();

  /**
   * A new source for {@code uri}, whose scheme is one of {@link #schemes()}. Settings that the
   * URI does not carry take their documented defaults.
   *
   * <p>The caller owns the source and {@linkplain ServiceDiscovery#close() closes} it when done.
   *
   * @throws MeshConfigException if the URI is not one this provider can read, naming what is
   *     wrong and what was expected. Its path starts at {@code discovery}: {@code discovery} for
   *     the URI as a whole, {@code discovery.<setting>} for one of its settings (a query
   *     parameter such as {@code discovery.minRefresh}); the mesh builder puts it under the
   *     service it configures, e.g. {@code services.orders.discovery.minRefresh}
   */
  ServiceDiscovery create(URI uri);
}
