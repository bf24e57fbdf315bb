package io.meshclient.discovery;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.api.ServiceDiscoveryProvider;
import io.meshclient.discovery.internal.UriSettings;
import java.net.URI;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * The {@code consul:} scheme: {@code consul://host[:port]} (port 8500 by default), e.g.
 * {@code consul://127.0.0.1:8500?dc=eu-west-1&tag=v2}. Settings in the query: {@code service}
 * (the Consul service to read for every mesh service; by default each service's own name),
 * {@code dc}, {@code tag}, {@code passing} ({@code false} to get unhealthy instances too, marked
 * so), {@code secure} ({@code true} for HTTPS to the endpoints), {@code tls} ({@code true} for
 * HTTPS to the agent), {@code wait} ({@code 5m}), {@code minInterval} ({@code 100ms}),
 * {@code retryMin} ({@code 1s}) and {@code retryMax} ({@code 30s}). The ACL token comes from the
 * {@code CONSUL_HTTP_TOKEN} environment variable, as for Consul's own tools, never from the URI.
 * See {@link ConsulDiscovery}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConsulDiscoveryProvider implements ServiceDiscoveryProvider {
  /** For {@link java.util.ServiceLoader}. */
  public ConsulDiscoveryProvider() {}

  @Override
  public Set<String> schemes() {
    return Set.of("consul");
  }

  @Override
  public ServiceDiscovery create(URI uri) {
    if (uri.isOpaque() || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      throw new MeshConfigException("discovery", uri.toString(), "consul://host[:port][?settings], e.g. consul://127.0.0.1:8500");
    }
    UriSettings settings = UriSettings.of(uri, Set.of("service", "dc", "tag", "passing", "secure", "tls", "wait",
        "minInterval", "retryMin", "retryMax"));
    HttpUrl agent = new HttpUrl.Builder()
        .scheme(settings.bool("tls", false) ? "https" : "http")
        .host(uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost())
        .port(uri.getPort() < 0 ? 8500 : uri.getPort())
        .build();
    ConsulDiscovery.Builder b = ConsulDiscovery.builder(agent).shownAs(uri.toString())
        .onlyPassing(settings.bool("passing", true))
        .secure(settings.bool("secure", false))
        .waitTime(settings.duration("wait", ConsulDiscovery.DEFAULT_WAIT))
        .minInterval(settings.duration("minInterval", ConsulDiscovery.DEFAULT_MIN_INTERVAL))
        .retry(settings.duration("retryMin", ConsulDiscovery.DEFAULT_RETRY_MIN),
            settings.duration("retryMax", ConsulDiscovery.DEFAULT_RETRY_MAX));
    String service = settings.string("service");
    if (service != null) {
      b.service(service);
    }
    String dc = settings.string("dc");
    if (dc != null) {
      b.datacenter(dc);
    }
    String tag = settings.string("tag");
    if (tag != null) {
      b.tag(tag);
    }
    String token = System.getenv("CONSUL_HTTP_TOKEN");
    if (token != null && !token.isBlank()) {
      b.token(token);
    }
    return b.build();
  }
}
