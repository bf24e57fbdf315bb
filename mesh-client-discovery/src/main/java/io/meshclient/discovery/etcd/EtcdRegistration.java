package io.meshclient.discovery.etcd;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshclient.api.Endpoint;
import io.meshclient.api.ServiceRegistration;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * Announces this process in etcd, in the key layout {@link EtcdDiscovery} reads: each
 * registration is the key {@code <prefix>/<service>/<endpoint-id>} attached to a lease of its own,
 * kept alive every third of the lease's time to live. Closing the registration revokes the lease,
 * which deletes the key at once; if the process dies, etcd deletes it when the lease lapses.
 *
 * <pre>{@code
 * try (EtcdRegistration etcd = EtcdRegistration.create(URI.create("etcd://127.0.0.1:2379/mesh/services?ttl=10s"));
 *      ServiceRegistration.Registration r = etcd.register("orders", Endpoint.of("10.0.0.7", 8080))) {
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>If etcd forgets the lease (it lapsed while etcd was unreachable), the next keep-alive grants a
 * new one and writes the key again. Thread-safe; keep-alives run on one daemon thread per instance.
 */
public final class EtcdRegistration implements ServiceRegistration {
  private final EtcdUri target;
  private final EtcdGateway gateway;
  private final EndpointJson codec;
  private final OkHttpClient client;
  private final boolean ownsClient;
  private final ScheduledExecutorService keepAlives;
  private final Set<EtcdLease> leases = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private EtcdRegistration(EtcdUri target, OkHttpClient client, boolean ownsClient) {
    ObjectMapper json = new ObjectMapper();
    this.target = target;
    this.client = client;
    this.ownsClient = ownsClient;
    this.gateway = new EtcdGateway(target.members(), client, target.timeout(), json);
    this.codec = new EndpointJson(json);
    this.keepAlives = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "mesh-etcd-keepalive");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Registrations in the etcd of {@code etcd://host:port/prefix?ttl=10s}, with an OkHttp client of
   * its own.
   *
   * @throws io.meshclient.api.MeshConfigException if the URI is not one it can read
   */
  public static EtcdRegistration create(URI uri) {
    return new EtcdRegistration(EtcdUri.parse(requireNonNull(uri, "uri")), new OkHttpClient(), true);
  }

  /** Like {@link #create(URI)}, talking through {@code client}, which stays the caller's to shut down. */
  public static EtcdRegistration create(URI uri, OkHttpClient client) {
    return new EtcdRegistration(EtcdUri.parse(requireNonNull(uri, "uri")), requireNonNull(client, "client"), false);
  }

  /**
   * Writes {@code self} under {@code <prefix>/<service>/<self.id()>} with a new lease, and keeps
   * the lease alive until the returned registration is closed.
   *
   * @throws IllegalArgumentException if the service name or the endpoint id is empty or contains {@code /}
   * @throws IOException if etcd could not be reached or refused the lease or the key
   */
  @Override
  public Registration register(String service, Endpoint self) throws IOException {
    requireNonNull(service, "service");
    requireNonNull(self, "self");
    if (service.isEmpty() || service.contains("/")) {
      throw new IllegalArgumentException("etcd service name '" + service + "' must be non-empty and without '/'");
    }
    if (self.id().contains("/")) {
      throw new IllegalArgumentException("endpoint id '" + self.id() + "' must not contain '/' (it is the last part of the key)");
    }
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    EtcdLease lease = new EtcdLease(gateway, target.endpointKey(service, self.id()), codec.write(self), target.ttl(),
        leases::remove);
    lease.grantAndPut();
    leases.add(lease);
    long every = Math.max(500, target.ttl().toMillis() / 3);
    lease.keepAliveEvery(keepAlives, Duration.ofMillis(every));
    return lease;
  }

  /** Closes every registration (revoking its lease) and stops the keep-alive thread. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (EtcdLease lease : leases) {
      lease.close();
    }
    keepAlives.shutdownNow();
    try {
      keepAlives.awaitTermination(target.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsClient) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "EtcdRegistration{" + target + ", ttl=" + target.ttl().toSeconds() + "s}";
  }
}
