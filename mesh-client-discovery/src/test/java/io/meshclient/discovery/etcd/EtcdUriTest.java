package io.meshclient.discovery.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.MeshConfigException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EtcdUriTest {

  @Test
  void readsMembersPrefixAndSettings() {
    EtcdUri uri = EtcdUri.parse(URI.create("etcd://10.0.0.1:2379,10.0.0.2:12379,etcd-3/fleet/services/?timeout=3s&ttl=15s&tls=true"));
    assertThat(uri.members()).extracting(Object::toString)
        .containsExactly("https://10.0.0.1:2379/", "https://10.0.0.2:12379/", "https://etcd-3:2379/");
    assertThat(uri.prefix()).isEqualTo("/fleet/services");
    assertThat(uri.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(uri.ttl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(uri.serviceKey("orders")).isEqualTo("/fleet/services/orders/");
    assertThat(uri.endpointKey("orders", "10.0.0.7:8080")).isEqualTo("/fleet/services/orders/10.0.0.7:8080");
  }

  @Test
  void defaultsPortPrefixAndSettings() {
    EtcdUri uri = EtcdUri.parse(URI.create("etcd://127.0.0.1"));
    assertThat(uri.members()).extracting(Object::toString).containsExactly("http://127.0.0.1:2379/");
    assertThat(uri.prefix()).isEqualTo(EtcdUri.DEFAULT_PREFIX);
    assertThat(uri.timeout()).isEqualTo(EtcdUri.DEFAULT_TIMEOUT);
    assertThat(uri.ttl()).isEqualTo(EtcdUri.DEFAULT_TTL);
    assertThat(EtcdUri.parse(URI.create("etcd://[::1]:2380/p")).members()).extracting(Object::toString)
        .containsExactly("http://[::1]:2380/");
    assertThat(EtcdUri.parse(URI.create("etcd://127.0.0.1/p?timeout=PT0.5S")).timeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void badUrisNameThePartThatIsWrong() {
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd:///prefix")))
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("etcd.members: \"etcd:///prefix\" (expected: at least one host, e.g. etcd://127.0.0.1:2379/prefix)");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://127.0.0.1:2379/p?ttl=1s")))
        .hasMessage("etcd.ttl: \"1s\" (expected: >= 2s (etcd's shortest lease))");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://127.0.0.1:2379/p?timeout=soon")))
        .hasMessage("etcd.timeout: \"soon\" (expected: a duration such as 500ms, 5s, 1m or PT5S)");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://127.0.0.1:2379/p?timeout=0s")))
        .hasMessage("etcd.timeout: \"0s\" (expected: a duration > 0, e.g. 5s)");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://127.0.0.1:2379/p?tls=yes")))
        .hasMessage("etcd.tls: \"yes\" (expected: true or false)");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://127.0.0.1:2379/p?lease=5s")))
        .hasMessage("etcd.lease: \"5s\" (expected: one of the settings [timeout, tls, ttl])");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://127.0.0.1:2379,:x/p")))
        .hasMessage("etcd.members: \":x\" (expected: host or host:port, e.g. 127.0.0.1:2379)");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://user:secret@127.0.0.1:2379/p")))
        .hasMessageStartingWith("etcd.members: \"user:secret@127.0.0.1:2379\"");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("etcd://127.0.0.1:2379/a//b")))
        .hasMessage("etcd.prefix: \"/a//b\" (expected: a plain key prefix such as /mesh/services)");
    assertThatThrownBy(() -> EtcdUri.parse(URI.create("consul://127.0.0.1:8500")))
        .hasMessage("etcd.uri: \"consul://127.0.0.1:8500\" (expected: an etcd://host:port/prefix URI)");
  }

  @Test
  void theProviderReadsTheEtcdScheme() {
    EtcdDiscoveryProvider provider = new EtcdDiscoveryProvider();
    assertThat(provider.schemes()).containsExactly("etcd");
    try (var source = provider.create(URI.create("etcd://127.0.0.1:2379/mesh/services"))) {
      assertThat(source).hasToString("EtcdDiscovery{etcd://127.0.0.1:2379/mesh/services}");
    }
    assertThat(java.util.ServiceLoader.load(io.meshclient.api.ServiceDiscoveryProvider.class).stream()
        .map(p -> p.type().getName())).contains(EtcdDiscoveryProvider.class.getName());
  }
}
