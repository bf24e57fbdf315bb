package io.meshclient.core.internal;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The built-in {@code static:} scheme: {@code static:10.0.0.7:8080,10.0.0.8:8080} serves those
 * fixed endpoints (IPv6 in brackets: {@code static:[::1]:8080}) to every service that uses it. A
 * bare {@code static:} means the endpoints given with {@code endpoints(...)} and is handled by the
 * mesh builder, not here.
 *
 * <p>Stateless and thread-safe; the sources it makes never change.
 */
public final class StaticDiscoveryProvider implements ServiceDiscoveryProvider {
  static final String EXPECTED = "static:host:port[,host:port...], e.g. static:10.0.0.7:8080,[::1]:8080";

  /** For {@link java.util.ServiceLoader}. */
  public StaticDiscoveryProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("static");
  }

  @Override
  public ServiceDiscovery create(URI uri) {
    String list = uri.getSchemeSpecificPart();
    if (list == null || list.isBlank()) {
      throw new MeshConfigException("discovery", uri.toString(), EXPECTED);
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (String address : list.split(",", -1)) {
      endpoints.add(parse(address.trim(), uri));
    }
    EndpointSet set;
    try {
      set = EndpointSet.of(endpoints);
    } catch (MeshConfigException e) {
      throw new MeshConfigException("discovery", uri.toString(), "addresses listed once each");
    }
    return new Fixed(set, uri.toString());
  }

  private static Endpoint parse(String address, URI uri) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new MeshConfigException("discovery", uri.toString(), EXPECTED);
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new MeshConfigException("discovery", uri.toString(), "IPv6 addresses in brackets, e.g. static:[::1]:8080");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new MeshConfigException("discovery", uri.toString(), EXPECTED);
    }
    try {
      Endpoint endpoint = Endpoint.of(host, port);
      EndpointState.baseUrl(endpoint);
      return endpoint;
    } catch (IllegalArgumentException e) {
      throw new MeshConfigException("discovery", uri.toString(), "addresses an HTTP URL can hold, " + EXPECTED);
    }
  }

  /** The same fixed set for every service. */
  private static final class Fixed implements ServiceDiscovery {
    private final EndpointSet endpoints;
    private final String uri;

    Fixed(EndpointSet endpoints, String uri) {
      this.endpoints = endpoints;
      this.uri = uri;
    }

    @Override
    public Subscription watch(String service, Listener listener) {
      listener.onEndpoints(endpoints);
      return () -> {};
    }

    @Override
    public String toString() {
      return uri;
    }
  }
}
