package io.meshclient.discovery.k8s;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Endpoints from Kubernetes EndpointSlices ({@code discovery.k8s.io/v1}): the slices labelled
 * {@code kubernetes.io/service-name=<service>} in a namespace, watched and merged into one set.
 * Uses the fabric8 client, an optional dependency: add {@code io.fabric8:kubernetes-client}.
 *
 * <pre>{@code
 * // k8s://namespace/service[:port-name]; every part may be left out
 * KubernetesDiscovery k8s = KubernetesDiscovery.create(URI.create("k8s://prod/orders:http"));
 * MeshClient mesh = MeshClient.builder().service("orders", s -> s.discovery(k8s)).build();
 *
 * KubernetesDiscovery all = KubernetesDiscovery.builder().namespace("prod").build(); // mesh name = Service name
 * }</pre>
 *
 * <p>Which endpoints are used: the ready ones (an unset {@code ready} counts as ready); when none is
 * ready, those still serving while terminating; never the rest. The zone comes from the slice; the
 * port is the named one, or the only one. Without a client of its own it connects as the pod's
 * service account (token re-read as it rotates) when running in a cluster, and otherwise from the
 * kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}). The account needs {@code get},
 * {@code list} and {@code watch} on {@code endpointslices.discovery.k8s.io} in the namespace.
 *
 * <p>While the API server cannot be reached, or a Service has no slice at all, listeners hear
 * {@code onError} and keep their last set. Thread-safe.
 */
public final class KubernetesDiscovery implements ServiceDiscovery {
  /** How often a watch is checked for having dropped, unless set. */
  public static final Duration DEFAULT_WATCH_CHECK = Duration.ofSeconds(5);

  private final KubernetesUri target;
  private final String namespace;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final Duration watchCheck;
  private final ScheduledExecutorService checker;
  private final Set<SliceWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private KubernetesDiscovery(Builder b) {
    this.target = new KubernetesUri(b.namespace, b.service, b.portName);
    this.ownsClient = b.client == null;
    this.client = b.client != null ? b.client : defaultClient();
    String ns = b.namespace != null ? b.namespace : client.getNamespace();
    this.namespace = ns != null ? ns : "default";
    this.watchCheck = b.watchCheck;
    this.checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "mesh-k8s-watch-check");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * A source for {@code k8s://namespace/service[:port-name]} with a client of its own.
   *
   * @throws MeshConfigException naming the part of the URI that is wrong
   */
  public static KubernetesDiscovery create(URI uri) {
    KubernetesUri parsed = KubernetesUri.parse(requireNonNull(uri, "uri"));
    return new Builder().namespace(parsed.namespace()).service(parsed.service()).portName(parsed.portName()).build();
  }

  /** A builder; every setting is optional. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts watching the slices of the configured Service, or of the Service named
   * {@code service} if none was configured. The first set follows once the first list is in.
   *
   * @throws IllegalArgumentException if {@code service} is not a valid Service name
   * @throws IllegalStateException if this source is closed
   */
  @Override
  public Subscription watch(String service, Listener listener) {
    requireNonNull(service, "service");
    requireNonNull(listener, "listener");
    String name = target.service() != null ? target.service() : service;
    if (!KubernetesUri.SERVICE.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a Kubernetes Service name (a lower-case letter, "
          + "then letters, digits and '-', at most 63); set one with k8s://" + namespace + "/<service>");
    }
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
    SliceWatch watch = new SliceWatch(client, namespace, name, target.portName(), listener, checker, watchCheck,
        watches::remove);
    watches.add(watch);
    return watch;
  }

  /** Stops every watch; closes the client if this source made it. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (SliceWatch watch : watches) {
      watch.close();
    }
    checker.shutdownNow();
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "KubernetesDiscovery{k8s://" + namespace + "/" + (target.service() == null ? "<service>" : target.service())
        + (target.portName() == null ? "" : ":" + target.portName()) + "}";
  }

  private static KubernetesClient defaultClient() {
    Config inCluster = ServiceAccountConfig.inCluster(System.getenv(), ServiceAccountConfig.MOUNT);
    KubernetesClientBuilder builder = new KubernetesClientBuilder();
    return (inCluster != null ? builder.withConfig(inCluster) : builder).build();
  }

  /**
   * Builds a {@link KubernetesDiscovery}. Setters check their value at once. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String namespace;
    private @Nullable String service;
    private @Nullable String portName;
    private @Nullable KubernetesClient client;
    private Duration watchCheck = DEFAULT_WATCH_CHECK;

    private Builder() {}

    /** The namespace; by default the client's (the pod's own, or the kubeconfig context's). */
    public Builder namespace(@Nullable String namespace) {
      if (namespace != null && !KubernetesUri.NAMESPACE.matcher(namespace).matches()) {
        throw new MeshConfigException("k8s.namespace", namespace, "a namespace name: lower-case letters, digits and '-', at most 63 characters");
      }
      this.namespace = namespace;
      return this;
    }

    /** The one Service every watch reads; by default each watch reads the Service named like the mesh service. */
    public Builder service(@Nullable String service) {
      if (service != null && !KubernetesUri.SERVICE.matcher(service).matches()) {
        throw new MeshConfigException("k8s.service", service, "a Service name: a lower-case letter, then letters, digits and '-', at most 63 characters");
      }
      this.service = service;
      return this;
    }

    /** The name of the port to call; by default the Service's only port. */
    public Builder portName(@Nullable String portName) {
      if (portName != null && !KubernetesUri.PORT_NAME.matcher(portName).matches()) {
        throw new MeshConfigException("k8s.portName", portName, "a port name: lower-case letters, digits and '-', at most 15 characters");
      }
      this.portName = portName;
      return this;
    }

    /** The client to use; it stays the caller's to close. By default one is made from the pod or the kubeconfig. */
    public Builder client(KubernetesClient client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** How often each watch is checked for having dropped (reported through {@code onError}); default 5 s. */
    public Builder watchCheck(Duration every) {
      if (every.isNegative() || every.isZero()) {
        throw new MeshConfigException("k8s.watchCheck", every, "a duration > 0");
      }
      this.watchCheck = every;
      return this;
    }

    /** The source. */
    public KubernetesDiscovery build() {
      return new KubernetesDiscovery(this);
    }
  }
}
