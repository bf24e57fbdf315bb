package io.meshclient.discovery.k8s;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.ServiceDiscovery;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the EndpointSlices of one Service with a fabric8 informer (list, then watch; a dropped
 * watch resumes from the last resourceVersion, a 410 Gone lists again) and pushes their merged
 * set after every change. Failures reach the listener as {@code onError}: list and watch errors
 * from the informer, and a watch found down by a periodic check (the informer reconnects on its
 * own, quietly). Calls to the listener never overlap.
 */
final class SliceWatch implements ServiceDiscovery.Subscription {
  private static final Logger log = LoggerFactory.getLogger(SliceWatch.class);

  private final String namespace;
  private final String service;
  private final @Nullable String portName;
  private final ServiceDiscovery.Listener listener;
  private final Consumer<SliceWatch> whenClosed;
  private final SharedIndexInformer<EndpointSlice> informer;
  private final ScheduledFuture<?> check;

  // Guarded by this: every listener call happens under it.
  private @Nullable EndpointSet pushed;
  private boolean started;
  private int downChecks;
  private boolean closed;

  SliceWatch(KubernetesClient client, String namespace, String service, @Nullable String portName,
      ServiceDiscovery.Listener listener, ScheduledExecutorService checker, Duration checkEvery,
      Consumer<SliceWatch> whenClosed) {
    this.namespace = namespace;
    this.service = service;
    this.portName = portName;
    this.listener = listener;
    this.whenClosed = whenClosed;
    this.informer = client.discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel(SliceReader.SERVICE_LABEL, service).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<EndpointSlice>() {
      @Override
      public void onAdd(EndpointSlice slice) {
        changed();
      }

      @Override
      public void onUpdate(EndpointSlice before, EndpointSlice after) {
        changed();
      }

      @Override
      public void onDelete(EndpointSlice slice, boolean finalStateUnknown) {
        changed();
      }
    });
    informer.exceptionHandler((started, error) -> {
      log.warn("Kubernetes {} of EndpointSlices for {}/{} failed, retrying; keeping the last known endpoints: {}",
          started ? "watch" : "list", namespace, service, error.toString());
      report(error);
      return true; // keep trying: the registry may come back
    });
    informer.start().whenComplete((ignored, error) -> {
      synchronized (this) {
        started = true;
      }
      changed();
    });
    long every = checkEvery.toMillis();
    this.check = checker.scheduleWithFixedDelay(this::checkWatching, every, every, TimeUnit.MILLISECONDS);
  }

  /** Reads the informer's store and pushes the merged set if it changed. */
  private synchronized void changed() {
    if (closed || !informer.hasSynced()) {
      return; // the first push waits for the whole first list
    }
    EndpointSet set;
    try {
      set = SliceReader.read(namespace, service, portName, informer.getStore().list());
    } catch (IOException | RuntimeException e) {
      log.warn("EndpointSlices of {}/{} give no endpoints; keeping the last known ones: {}", namespace, service, e.getMessage());
      report(e);
      return;
    }
    if (!set.equals(pushed)) {
      pushed = set;
      try {
        listener.onEndpoints(set);
      } catch (RuntimeException e) {
        log.warn("discovery listener of {}/{} failed", namespace, service, e);
      }
    }
  }

  /**
   * Reports a watch that stayed down for two checks in a row: the informer also restarts its watch
   * now and then on its own, which one check could catch.
   */
  private synchronized void checkWatching() {
    if (closed || !started) {
      return;
    }
    if (informer.isWatching()) {
      if (downChecks >= 2) {
        log.info("Kubernetes watch of EndpointSlices for {}/{} is back", namespace, service);
      }
      downChecks = 0;
      return;
    }
    if (++downChecks == 2) {
      log.warn("Kubernetes watch of EndpointSlices for {}/{} is down, reconnecting; keeping the last known endpoints",
          namespace, service);
      report(new IOException("the watch of EndpointSlices for " + namespace + "/" + service + " is down"));
    }
  }

  private synchronized void report(Throwable error) {
    if (closed) {
      return;
    }
    try {
      listener.onError(error);
    } catch (RuntimeException e) {
      log.warn("discovery listener of {}/{} failed", namespace, service, e);
    }
  }

  /** Whether the informer is watching right now. */
  boolean watching() {
    return informer.isWatching();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    check.cancel(false);
    informer.stop();
    whenClosed.accept(this);
  }

  @Override
  public String toString() {
    return "Kubernetes watch of EndpointSlices for " + namespace + "/" + service;
  }
}
