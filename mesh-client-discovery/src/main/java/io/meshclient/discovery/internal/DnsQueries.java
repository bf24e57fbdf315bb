package io.meshclient.discovery.internal;

import io.meshclient.api.Endpoint;
import io.meshclient.api.EndpointSet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The DNS queries of the {@code dns:} and {@code dns+srv:} sources, with dnsjava: A and AAAA
 * records of a name, or its SRV records (lowest priority first) and their targets' addresses. Each
 * answer comes with the smallest TTL of the records it used. Only this class and the source that
 * owns it touch dnsjava, which is optional.
 *
 * <p>Thread-safe: dnsjava resolvers are.
 */
public final class DnsQueries {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DnsQueries.class);

  private final Resolver resolver;
  private final String server;

  /**
   * @param server the DNS server to ask, or {@code null} for the system's resolvers
   * @param timeout how long one query may take
   */
  public DnsQueries(@Nullable InetSocketAddress server, Duration timeout) throws UnknownHostException {
    this.resolver = server == null ? new ExtendedResolver() : new SimpleResolver(server);
    this.resolver.setTimeout(timeout);
    this.server = server == null ? "the system's DNS servers" : server.getHostString() + ":" + server.getPort();
  }

  /** Whether {@code name} is a valid DNS name. */
  public static boolean isValidName(String name) {
    try {
      Name.fromString(name, Name.root);
      return true;
    } catch (TextParseException e) {
      return false;
    }
  }

  /**
   * The A and AAAA records of {@code name}, as endpoints on {@code port}.
   *
   * @throws IOException if the server fails or does not know the name
   */
  public Answer addresses(String name, int port, boolean secure) throws IOException {
    Name fqdn = name(name);
    long ttl = Long.MAX_VALUE;
    List<Endpoint> endpoints = new ArrayList<>();
    for (int type : new int[] {Type.A, Type.AAAA}) {
      for (Record r : query(fqdn, type)) {
        InetAddress address = address(r);
        ttl = Math.min(ttl, r.getTTL());
        if (address != null) {
          endpoints.add(Endpoint.builder(address.getHostAddress(), port).secure(secure).build());
        }
      }
    }
    return new Answer(EndpointSet.of(dedupe(endpoints)), ttl);
  }

  /**
   * The SRV records of {@code name}: the targets of the lowest priority that has an address, one
   * endpoint per address, with the record's port and weight (at least 1).
   *
   * @throws IOException if the server fails or does not know the name
   */
  public Answer srv(String name, boolean secure) throws IOException {
    Name fqdn = name(name);
    Message response = send(fqdn, Type.SRV);
    long ttl = Long.MAX_VALUE;
    Map<Integer, List<SRVRecord>> byPriority = new TreeMap<>();
    for (Record r : response.getSection(Section.ANSWER)) {
      ttl = Math.min(ttl, r.getTTL());
      if (r instanceof SRVRecord) {
        byPriority.computeIfAbsent(((SRVRecord) r).getPriority(), p -> new ArrayList<>()).add((SRVRecord) r);
      }
    }
    Map<Name, List<Record>> additional = new LinkedHashMap<>();
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      if (address(r) != null) {
        additional.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
      }
    }
    for (List<SRVRecord> group : byPriority.values()) {
      List<Endpoint> endpoints = new ArrayList<>();
      long groupTtl = ttl;
      for (SRVRecord srv : group) {
        List<Record> addresses = additional.get(srv.getTarget());
        if (addresses == null) {
          addresses = targetAddresses(srv.getTarget());
        }
        for (Record r : addresses) {
          InetAddress address = address(r);
          if (address != null) {
            groupTtl = Math.min(groupTtl, r.getTTL());
            endpoints.add(Endpoint.builder(address.getHostAddress(), srv.getPort())
                .weight(Math.max(1, srv.getWeight()))
                .secure(secure)
                .build());
          }
        }
      }
      if (!endpoints.isEmpty()) {
        return new Answer(EndpointSet.of(dedupe(endpoints)), groupTtl);
      }
    }
    return new Answer(EndpointSet.empty(), ttl);
  }

  /** A target that does not resolve only leaves its record out; the other targets still count. */
  private List<Record> targetAddresses(Name target) throws IOException {
    List<Record> addresses = new ArrayList<>();
    try {
      addresses.addAll(query(target, Type.A));
      addresses.addAll(query(target, Type.AAAA));
    } catch (UnknownHostException e) {
      log.debug("SRV target {} has no address: {}", target, e.getMessage());
    }
    return addresses;
  }

  private List<Record> query(Name name, int type) throws IOException {
    return send(name, type).getSection(Section.ANSWER);
  }

  private Message send(Name name, int type) throws IOException {
    Message response;
    try {
      response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    } catch (IOException e) {
      throw new IOException(Type.string(type) + " query for " + name + " to " + server + " failed: " + e, e);
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      throw new UnknownHostException(server + " does not know " + name + " (NXDOMAIN)");
    }
    if (rcode != Rcode.NOERROR) {
      throw new IOException(Type.string(type) + " query for " + name + " to " + server + " failed: " + Rcode.string(rcode));
    }
    return response;
  }

  private static @Nullable InetAddress address(Record r) {
    if (r instanceof ARecord) {
      return ((ARecord) r).getAddress();
    }
    if (r instanceof AAAARecord) {
      return ((AAAARecord) r).getAddress();
    }
    return null;
  }

  /** Two SRV records may name the same address and port: one endpoint, the first record's weight. */
  private static List<Endpoint> dedupe(List<Endpoint> endpoints) {
    Map<String, Endpoint> byId = new LinkedHashMap<>();
    for (Endpoint e : endpoints) {
      byId.putIfAbsent(e.id(), e);
    }
    return new ArrayList<>(byId.values());
  }

  private static Name name(String name) throws IOException {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IOException("not a DNS name: " + name, e);
    }
  }

  /**
   * What a query found: the endpoints and the smallest TTL among the records used, in seconds
   * ({@link Long#MAX_VALUE} if none).
   */
  public static final class Answer {
    private final EndpointSet endpoints;
    private final long ttlSeconds;

    Answer(EndpointSet endpoints, long ttlSeconds) {
      this.endpoints = endpoints;
      this.ttlSeconds = ttlSeconds;
    }

    public EndpointSet endpoints() {
      return endpoints;
    }

    public long ttlSeconds() {
      return ttlSeconds;
    }
  }
}
