package io.meshclient.discovery.etcd;

import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import java.net.URI;
import java.util.Set;

/**
 * Makes {@link EtcdDiscovery} sources from {@code etcd://host[:port][,host[:port]...][/prefix]}
 * URIs; found through {@link java.util.ServiceLoader}.
 *
 * <pre>{@code
 * ServiceDiscovery etcd = new EtcdDiscoveryProvider().create(URI.create("etcd://127.0.0.1:2379/mesh/services"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class EtcdDiscoveryProvider implements ServiceDiscoveryProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public EtcdDiscoveryProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("etcd");
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.meshclient.api.MeshConfigException naming the part of the URI that is wrong
   */
  @Override
  public ServiceDiscovery create(URI uri) {
    return EtcdDiscovery.create(uri);
  }
}
