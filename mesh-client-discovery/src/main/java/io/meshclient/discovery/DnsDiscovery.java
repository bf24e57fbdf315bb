package io.meshclient.discovery;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.ServiceDiscovery;
import io.meshclient.discovery.internal.DnsQueries;
import io.meshclient.discovery.internal.OptionalLibrary;
import io.meshclient.discovery.internal.ServiceWatchers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoints from DNS: the {@code dns:} source (A and AAAA records, one port for all) and the
 * {@code dns+srv:} source (SRV records: the lowest priority that has addresses wins, each record's
 * port, and its weight as the endpoint's weight). Records are looked up again when their TTL runs
 * out, but never more often than {@linkplain Builder#minRefresh the floor} nor less often than
 * {@linkplain Builder#maxRefresh the cap}; a failed lookup is retried from the floor, doubling up
 * to the cap, while the last good endpoints stay in use. Needs {@code dnsjava:dnsjava}.
 *
 * <pre>{@code
 * DnsDiscovery dns = DnsDiscovery.builder()
 *     .name("orders.prod.svc.cluster.local")      // omit to look up each service's own name
 *     .port(8080)
 *     .server(new InetSocketAddress("10.96.0.10", 53))  // omit for the system's resolvers
 *     .build();
 * }</pre>
 *
 * <p>A name that does not exist (NXDOMAIN) or a server that fails is an error, never an empty
 * set; a name that exists without addresses (or SRV records) is an empty set. Names are taken as
 * fully qualified: no search domains are added.
 *
 * <p>Thread-safe. One daemon thread runs the lookups of every service until {@link #close()}.
 */
public final class DnsDiscovery implements ServiceDiscovery {
  private static final Logger log = LoggerFactory.getLogger(DnsDiscovery.class);

  /** The refresh floor unless set otherwise: 5 seconds. */
  public static final Duration DEFAULT_MIN_REFRESH = Duration.ofSeconds(5);
  /** The refresh cap unless set otherwise: 60 seconds. */
  public static final Duration DEFAULT_MAX_REFRESH = Duration.ofSeconds(60);
  /** How long one query may take unless set otherwise: 5 seconds. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  /** The port of A/AAAA endpoints unless set otherwise. */
  public static final int DEFAULT_PORT = 80;

  private final @Nullable String name;
  private final boolean srv;
  private final int port;
  private final boolean secure;
  private final Duration minRefresh;
  private final Duration maxRefresh;
  private final String shown;
  private final DnsQueries queries;
  private final ServiceWatchers watchers = new ServiceWatchers(this::schedule);
  private final Map<String, Long> nextRefreshMillis = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor executor;

  private DnsDiscovery(Builder b) {
    this.name = b.name;
    this.srv = b.srv;
    this.port = b.port;
    this.secure = b.secure;
    this.minRefresh = b.minRefresh;
    this.maxRefresh = b.maxRefresh;
    this.shown = b.shown != null ? b.shown : describe(b);
    try {
      this.queries = new DnsQueries(b.server, b.timeout);
    } catch (IOException e) {
      throw new UncheckedIOException("no DNS server to ask: " + e.getMessage(), e);
    }
    this.executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "mesh-dns-discovery");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** A builder for A/AAAA lookups; {@link Builder#srv()} switches to SRV. */
  public static Builder builder() {
    return new Builder();
  }

  /** Looks the service's name up at once (on the source's thread), then again as the TTL says. */
  @Override
  public Subscription watch(String service, Listener listener) {
    return watchers.add(requireNonNull(service, "service"), listener);
  }

  /** Stops every lookup. Idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return shown;
  }

  /** The DNS name looked up for {@code service}. */
  String nameFor(String service) {
    if (name != null) {
      return name;
    }
    return srv ? "_http._tcp." + service : service;
  }

  /** How long until {@code service} is looked up again, as last scheduled; for tests. */
  @Nullable Duration nextRefresh(String service) {
    Long millis = nextRefreshMillis.get(service);
    return millis == null ? null : Duration.ofMillis(millis);
  }

  /** The wait before the next lookup after an answer whose smallest TTL is {@code ttlSeconds}. */
  static Duration refreshAfter(long ttlSeconds, Duration min, Duration max) {
    Duration ttl = Duration.ofSeconds(Math.min(ttlSeconds, max.getSeconds() + 1));
    return ttl.compareTo(min) < 0 ? min : ttl.compareTo(max) > 0 ? max : ttl;
  }

  /** The wait before retrying after {@code failures} lookups in a row failed: the floor, doubled each time, up to the cap. */
  static Duration retryAfter(int failures, Duration min, Duration max) {
    Duration wait = min;
    for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }

  private void schedule(String service) {
    schedule(service, Duration.ZERO);
  }

  private void schedule(String service, Duration delay) {
    nextRefreshMillis.put(service, delay.toMillis());
    try {
      executor.schedule(() -> refresh(service), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void refresh(String service) {
    String lookup = nameFor(service);
    Duration next;
    try {
      DnsQueries.Answer answer = srv ? queries.srv(lookup, secure) : queries.addresses(lookup, port, secure);
      failures.remove(service);
      watchers.publish(service, answer.endpoints());
      next = refreshAfter(answer.ttlSeconds(), minRefresh, maxRefresh);
    } catch (IOException | RuntimeException e) {
      int failed = failures.merge(service, 1, Integer::sum);
      log.debug("DNS lookup of {} for service '{}' failed ({} in a row)", lookup, service, failed, e);
      watchers.fail(service, e instanceof IOException ? e : new IOException("DNS lookup of " + lookup + " failed: " + e, e));
      next = retryAfter(failed, minRefresh, maxRefresh);
    }
    if (!executor.isShutdown()) {
      schedule(service, next);
    }
  }

  private static String describe(Builder b) {
    StringBuilder s = new StringBuilder(b.srv ? "dns+srv://" : "dns://");
    if (b.server != null) {
      s.append(b.server.getHostString()).append(':').append(b.server.getPort());
    }
    s.append('/');
    if (b.name != null) {
      s.append(b.name);
    }
    if (!b.srv) {
      s.append(':').append(b.port);
    }
    return s.toString();
  }

  /**
   * Settings of a {@link DnsDiscovery}; each setter checks its value at once. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String name;
    private boolean srv;
    private int port = DEFAULT_PORT;
    private boolean secure;
    private @Nullable InetSocketAddress server;
    private Duration minRefresh = DEFAULT_MIN_REFRESH;
    private Duration maxRefresh = DEFAULT_MAX_REFRESH;
    private Duration timeout = DEFAULT_TIMEOUT;
    private @Nullable String shown;

    private Builder() {}

    /**
     * The DNS name to look up for every service; by default each service's own name (with SRV:
     * {@code _http._tcp.<service>}).
     */
    public Builder name(String name) {
      requireNonNull(name, "name");
      // Without dnsjava the name cannot be checked; build() then names the missing library.
      if (name.isBlank() || (OptionalLibrary.present("org.xbill.DNS.Name") && !DnsQueries.isValidName(name))) {
        throw new MeshConfigException("discovery.name", name, "a DNS name such as orders.prod.svc.cluster.local");
      }
      this.name = name;
      return this;
    }

    /** Looks up SRV records instead of A and AAAA. */
    public Builder srv() {
      this.srv = true;
      return this;
    }

    /** The port of A/AAAA endpoints (SRV records carry their own); {@value #DEFAULT_PORT} by default. */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new MeshConfigException("discovery.port", port, "1..65535");
      }
      this.port = port;
      return this;
    }

    /** Calls the endpoints over HTTPS. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** The DNS server to ask; by default the system's resolvers. */
    public Builder server(InetSocketAddress server) {
      this.server = requireNonNull(server, "server");
      return this;
    }

    /** The TTL floor: never look a name up more often; {@link #DEFAULT_MIN_REFRESH} by default. */
    public Builder minRefresh(Duration minRefresh) {
      this.minRefresh = positive("discovery.minRefresh", minRefresh);
      return this;
    }

    /** The TTL cap: look a name up at least this often; {@link #DEFAULT_MAX_REFRESH} by default. */
    public Builder maxRefresh(Duration maxRefresh) {
      this.maxRefresh = positive("discovery.maxRefresh", maxRefresh);
      return this;
    }

    /** How long one query may take; {@link #DEFAULT_TIMEOUT} by default. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("discovery.timeout", timeout);
      return this;
    }

    /** How the source names itself in errors and logs (the URI it was made from). */
    Builder shownAs(String shown) {
      this.shown = shown;
      return this;
    }

    /**
     * Builds the source.
     *
     * @throws MeshConfigException if the refresh floor exceeds the cap, or dnsjava is missing
     */
    public DnsDiscovery build() {
      OptionalLibrary.require("org.xbill.DNS.Lookup", "dnsjava:dnsjava", shown != null ? shown : describe(this));
      if (minRefresh.compareTo(maxRefresh) > 0) {
        throw new MeshConfigException("discovery.minRefresh", minRefresh, "at most maxRefresh (" + maxRefresh + ")");
      }
      return new DnsDiscovery(this);
    }

    private static Duration positive(String path, Duration d) {
      requireNonNull(d, path);
      if (d.isNegative() || d.isZero()) {
        throw new MeshConfigException(path, d, "> 0");
      }
      return d;
    }
  }
}
