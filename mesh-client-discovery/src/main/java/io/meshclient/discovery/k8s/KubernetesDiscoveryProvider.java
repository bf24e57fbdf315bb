package io.meshclient.discovery.k8s;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import java.net.URI;
import java.util.Set;

/**
 * Makes {@link KubernetesDiscovery} sources from {@code k8s://namespace/service[:port-name]} URIs;
 * found through {@link java.util.ServiceLoader}. It loads without the fabric8 client on the class
 * path, and only {@link #create} asks for it, naming the dependency to add if it is missing.
 *
 * <pre>{@code
 * ServiceDiscovery k8s = new KubernetesDiscoveryProvider().create(URI.create("k8s://prod/orders:http"));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class KubernetesDiscoveryProvider implements ServiceDiscoveryProvider {
  static final String CLIENT_CLASS = "io.fabric8.kubernetes.client.KubernetesClient";

  /** Used by {@link java.util.ServiceLoader}. */
  public KubernetesDiscoveryProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("k8s");
  }

  /**
   * {@inheritDoc}
   *
   * @throws MeshConfigException naming the part of the URI that is wrong, or the missing
   *     {@code io.fabric8:kubernetes-client} dependency
   */
  @Override
  public ServiceDiscovery create(URI uri) {
    try {
      Class.forName(CLIENT_CLASS, false, KubernetesDiscoveryProvider.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new MeshConfigException("discovery", uri.toString(),
          "io.fabric8:kubernetes-client (7.x) on the class path for k8s:// sources; mesh-client-discovery keeps it optional");
    }
    return KubernetesDiscovery.create(uri);
  }
}
