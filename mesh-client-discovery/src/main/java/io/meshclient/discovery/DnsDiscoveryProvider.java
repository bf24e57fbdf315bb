package io.meshclient.discovery;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import io.meshclient.discovery.internal.UriSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code dns:} and {@code dns+srv:} schemes:
 *
 * <ul>
 *   <li>{@code dns://[server[:port]]/[name][:port]}: A and AAAA records of {@code name}, every
 *       address an endpoint on {@code port} (80 by default), e.g.
 *       {@code dns:///orders.prod.svc.cluster.local:8080} or
 *       {@code dns://127.0.0.1:5353/orders.test};
 *   <li>{@code dns+srv://[server[:port]]/[name]}: SRV records of {@code name}, e.g.
 *       {@code dns+srv:///_http._tcp.orders.prod}.
 * </ul>
 *
 * The authority, if any, is the DNS server to ask (port 53 by default); without one the
 * system's resolvers are used. Without a name, each service's own name is looked up
 * ({@code _http._tcp.<service>} for SRV). Settings in the query: {@code minRefresh} (TTL floor,
 * {@code 5s}), {@code maxRefresh} (TTL cap, {@code 60s}), {@code timeout} (per query, {@code 5s}),
 * {@code secure} ({@code true} for HTTPS) and, for {@code dns:}, {@code port}. Needs
 * {@code dnsjava:dnsjava} on the class path. See {@link DnsDiscovery}.
 *
 * <p>Stateless and thread-safe.
 */
public final class DnsDiscoveryProvider implements ServiceDiscoveryProvider {
  /** For {@link java.util.ServiceLoader}. */
  public DnsDiscoveryProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("dns", "dns+srv");
  }

  @Override
  public ServiceDiscovery create(URI uri) {
    boolean srv = uri.getScheme().toLowerCase(Locale.ROOT).equals("dns+srv");
    if (uri.isOpaque() || uri.getRawFragment() != null) {
      throw new MeshConfigException("discovery", uri.toString(), srv
          ? "dns+srv://[server[:port]]/[name], e.g. dns+srv:///_http._tcp.orders.prod"
          : "dns://[server[:port]]/[name][:port], e.g. dns:///orders.prod:8080");
    }
    UriSettings settings = UriSettings.of(uri, srv
        ? Set.of("minRefresh", "maxRefresh", "timeout", "secure")
        : Set.of("minRefresh", "maxRefresh", "timeout", "secure", "port"));
    DnsDiscovery.Builder b = DnsDiscovery.builder().shownAs(uri.toString())
        .minRefresh(settings.duration("minRefresh", DnsDiscovery.DEFAULT_MIN_REFRESH))
        .maxRefresh(settings.duration("maxRefresh", DnsDiscovery.DEFAULT_MAX_REFRESH))
        .timeout(settings.duration("timeout", DnsDiscovery.DEFAULT_TIMEOUT))
        .secure(settings.bool("secure", false));
    if (srv) {
      b.srv();
    }
    if (uri.getAuthority() != null) {
      b.server(server(uri));
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String name = path.startsWith("/") ? path.substring(1) : path;
    int port = settings.integer("port", DnsDiscovery.DEFAULT_PORT, 1, 65535);
    int colon = name.lastIndexOf(':');
    if (colon >= 0) {
      if (srv) {
        throw new MeshConfigException("discovery", uri.toString(), "an SRV name without a port: SRV records carry the port");
      }
      try {
        port = Integer.parseInt(name.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new MeshConfigException("discovery.port", name.substring(colon + 1), "1..65535");
      }
      name = name.substring(0, colon);
    }
    if (!name.isEmpty()) {
      b.name(name);
    }
    return b.port(port).build();
  }

  private static InetSocketAddress server(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      throw new MeshConfigException("discovery", uri.toString(), "a DNS server as host[:port] in the authority, e.g. dns://10.96.0.10:53/orders");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new InetSocketAddress(host, uri.getPort() < 0 ? 53 : uri.getPort());
  }
}
