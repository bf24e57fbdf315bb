package io.meshclient.core.internal;

import io.meshclient.api.LoadBalancerFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The load balancer factories by name: those found through {@link ServiceLoader} (the built-in
 * ones included), plus any given to the mesh builder, which win on a name clash.
 */
public final class LoadBalancerRegistry {
  private LoadBalancerRegistry() {}

  /** Every factory on the class path, and {@code extra} on top. */
  public static Map<String, LoadBalancerFactory> factories(List<LoadBalancerFactory> extra) {
    Map<String, LoadBalancerFactory> byName = new TreeMap<>();
    load(byName, LoadBalancerRegistry.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != LoadBalancerRegistry.class.getClassLoader()) {
      load(byName, context);
    }
    for (LoadBalancerFactory factory : extra) {
      byName.put(factory.name(), factory);
    }
    return java.util.Collections.unmodifiableMap(byName); // sorted, so error messages list names stably
  }

  private static void load(Map<String, LoadBalancerFactory> byName, ClassLoader loader) {
    for (LoadBalancerFactory factory : ServiceLoader.load(LoadBalancerFactory.class, loader)) {
      byName.putIfAbsent(factory.name(), factory);
    }
  }
}
