package io.meshclient.discovery.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscoveryProvider;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class KubernetesUriTest {

  @Test
  void readsNamespaceServiceAndPortName() {
    assertThat(KubernetesUri.parse(URI.create("k8s://prod/orders:http"))).isEqualTo(new KubernetesUri("prod", "orders", "http"));
    assertThat(KubernetesUri.parse(URI.create("k8s://prod/orders"))).isEqualTo(new KubernetesUri("prod", "orders", null));
    assertThat(KubernetesUri.parse(URI.create("k8s://prod"))).isEqualTo(new KubernetesUri("prod", null, null));
    assertThat(KubernetesUri.parse(URI.create("k8s:///orders"))).isEqualTo(new KubernetesUri(null, "orders", null));
  }

  @Test
  void badPartsAreNamed() {
    assertThatThrownBy(() -> KubernetesUri.parse(URI.create("k8s://Prod/orders"))).isInstanceOf(MeshConfigException.class)
        .hasMessage("k8s.namespace: \"Prod\" (expected: a namespace name: lower-case letters, digits and '-', at most 63 characters)");
    assertThatThrownBy(() -> KubernetesUri.parse(URI.create("k8s://prod/9orders")))
        .hasMessageStartingWith("k8s.service: \"9orders\" (expected: a Service name");
    assertThatThrownBy(() -> KubernetesUri.parse(URI.create("k8s://prod/orders:http_2")))
        .hasMessageStartingWith("k8s.portName: \"http_2\" (expected: a port name");
    assertThatThrownBy(() -> KubernetesUri.parse(URI.create("k8s://prod/orders?watch=1")))
        .hasMessage("k8s.uri: \"k8s://prod/orders?watch=1\" (expected: k8s://namespace/service[:port-name], with no query or fragment)");
    assertThatThrownBy(() -> KubernetesUri.parse(URI.create("k8s:prod")))
        .hasMessage("k8s.uri: \"k8s:prod\" (expected: k8s://namespace/service[:port-name])");
  }

  @Test
  void theProviderIsFoundByScheme() {
    assertThat(new KubernetesDiscoveryProvider().schemes()).containsExactly("k8s");
    assertThat(ServiceLoader.load(ServiceDiscoveryProvider.class).stream().map(p -> p.type().getName()))
        .contains(KubernetesDiscoveryProvider.class.getName());
  }

  @Test
  void withoutTheFabric8ClientTheProviderLoadsAndNamesTheDependencyToAdd() throws Exception {
    ClassLoader withoutFabric8 = new WithoutFabric8(KubernetesUriTest.class.getClassLoader());
    Class<?> provider = Class.forName(KubernetesDiscoveryProvider.class.getName(), true, withoutFabric8);
    assertThat(provider.getClassLoader()).isSameAs(withoutFabric8);
    ServiceDiscoveryProvider instance = (ServiceDiscoveryProvider) provider.getConstructor().newInstance();
    assertThat(instance.schemes()).containsExactly("k8s");
    assertThatThrownBy(() -> instance.create(URI.create("k8s://prod/orders")))
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("discovery: \"k8s://prod/orders\" (expected: io.fabric8:kubernetes-client (7.x) on the class path "
            + "for k8s:// sources; mesh-client-discovery keeps it optional)");
  }

  /** Defines this package's classes itself and cannot see io.fabric8 at all. */
  private static final class WithoutFabric8 extends ClassLoader {
    WithoutFabric8(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("io.fabric8.")) {
        throw new ClassNotFoundException(name);
      }
      if (!name.startsWith(KubernetesDiscoveryProvider.class.getPackageName() + ".")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
          if (in == null) {
            throw new ClassNotFoundException(name);
          }
          byte[] bytes = in.readAllBytes();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }
}
