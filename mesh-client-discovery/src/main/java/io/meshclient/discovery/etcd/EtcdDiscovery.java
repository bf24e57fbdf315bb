package io.meshclient.discovery.etcd;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshclient.api.ServiceDiscovery;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * Endpoints kept in etcd, watched (not polled) through etcd's v3 JSON gateway. Each endpoint of a
 * service is one key, {@code <prefix>/<service>/<endpoint-id>}, whose value is a JSON object:
 *
 * <pre>{@code
 * /mesh/services/orders/10.0.0.7:8080 -> {"host":"10.0.0.7","port":8080,"zone":"eu-west-1a","weight":2,
 *                                          "labels":{"version":"v2"},"secure":false}
 *
 * EtcdDiscovery etcd = EtcdDiscovery.create(URI.create("etcd://127.0.0.1:2379/mesh/services"));
 * MeshClient mesh = MeshClient.builder().discovery(etcd).service("orders", s -> {}).build();
 * }</pre>
 *
 * <p>Each watched service lists its keys once, then follows an etcd watch from the next revision
 * and pushes the whole set after every change. A dropped watch resumes from the last revision seen
 * (and lists again if etcd compacted it away). While etcd cannot be reached, the listener hears
 * {@code onError} and keeps its last set; a value that cannot be read is reported the same way and
 * the endpoint keeps its last good value. {@link EtcdRegistration} writes keys in this layout.
 *
 * <p>URI settings: {@code etcd://host[:port][,host[:port]...][/prefix][?timeout=5s&tls=false]}
 * (port 2379 and prefix {@code /mesh/services} by default). Thread-safe; each watch runs on its own
 * daemon thread until its subscription or this source is closed.
 */
public final class EtcdDiscovery implements ServiceDiscovery {
  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final EtcdUri target;
  private final EtcdGateway gateway;
  private final EndpointJson codec;
  private final OkHttpClient client;
  private final boolean ownsClient;
  private final Set<ServiceWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EtcdDiscovery(EtcdUri target, OkHttpClient client, boolean ownsClient) {
    ObjectMapper json = new ObjectMapper();
    this.target = target;
    this.client = client;
    this.ownsClient = ownsClient;
    this.gateway = new EtcdGateway(target.members(), client, target.timeout(), json);
    this.codec = new EndpointJson(json);
  }

  /**
   * A source for {@code etcd://host:port/prefix}, with an OkHttp client of its own.
   *
   * @throws io.meshclient.api.MeshConfigException if the URI is not one it can read
   */
  public static EtcdDiscovery create(URI uri) {
    return new EtcdDiscovery(EtcdUri.parse(requireNonNull(uri, "uri")), new OkHttpClient(), true);
  }

  /**
   * A source for {@code etcd://host:port/prefix} that talks to etcd through {@code client} (for
   * client certificates, proxies or a shared pool). The client stays the caller's to shut down.
   */
  public static EtcdDiscovery create(URI uri, OkHttpClient client) {
    return new EtcdDiscovery(EtcdUri.parse(requireNonNull(uri, "uri")), requireNonNull(client, "client"), false);
  }

  /**
   * Starts watching the keys under {@code <prefix>/<service>/}; the first set follows as soon as
   * etcd answers.
   *
   * @throws IllegalArgumentException if the service name is empty or contains {@code /}
   * @throws IllegalStateException if this source is closed
   */
  @Override
  public Subscription watch(String service, Listener listener) {
    requireNonNull(service, "service");
    requireNonNull(listener, "listener");
    if (service.isEmpty() || service.contains("/")) {
      throw new IllegalArgumentException("etcd service name '" + service + "' must be non-empty and without '/'");
    }
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    ServiceWatch watch = new ServiceWatch(service, target.serviceKey(service), gateway, codec, listener,
        FIRST_BACKOFF, MAX_BACKOFF, watches::remove);
    watches.add(watch);
    watch.start();
    return watch;
  }

  /** Stops every watch and, if this source made its OkHttp client, releases it. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (ServiceWatch watch : watches) {
      watch.close();
    }
    watches.clear();
    if (ownsClient) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "EtcdDiscovery{" + target + "}";
  }
}
