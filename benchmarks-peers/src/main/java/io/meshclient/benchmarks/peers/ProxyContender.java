package io.meshclient.benchmarks.peers;

import java.io.IOException;
import java.util.List;

/**
 * The sidecar hop: the raw contender's OkHttp setup calling one local address, a {@link NginxProxy}
 * that balances over the backends. Its CPU and memory outside this JVM are nginx's.
 */
final class ProxyContender implements Contender {
  private final NginxProxy proxy;
  private final OkHttpContender client;

  private ProxyContender(NginxProxy proxy, int backends) {
    this.proxy = proxy;
    this.client = new OkHttpContender("proxy", OkHttpContender.client(),
        List.of(OkHttpContender.url(proxy.port())), backends);
  }

  static ProxyContender open(List<Integer> ports) throws IOException {
    return new ProxyContender(NginxProxy.start(ports), ports.size());
  }

  @Override
  public String name() {
    return "proxy";
  }

  @Override
  public int call() throws IOException {
    return client.call();
  }

  @Override
  public long outsideCpuNanos() {
    return proxy.cpuNanos();
  }

  @Override
  public long outsideMemoryBytes() {
    return proxy.residentBytes();
  }

  @Override
  public void close() {
    client.close();
    proxy.close();
  }
}
