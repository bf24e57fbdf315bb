package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who the peer of a service must prove to be over TLS: the names its certificate has to carry in
 * its subject alternative names (SANs). A peer satisfies the identity when its certificate
 * carries any one of them: an exact DNS name, an exact URI such as a SPIFFE ID, or a pattern.
 *
 * <pre>{@code
 * PeerIdentity.dnsName("orders.shop.svc.cluster.local")
 * PeerIdentity.pattern("spiffe://prod.example/ns/shop/sa/*")   // any service account in ns/shop
 * PeerIdentity.pattern("*.orders.example.com")                  // one DNS label
 * PeerIdentity.spiffeId("spiffe://prod.example/ns/shop/sa/orders")
 *     .or(PeerIdentity.spiffeId("spiffe://prod.example/ns/shop/sa/orders-canary"))
 * }</pre>
 *
 * <p>Matching: DNS names compare without regard to case, and a certificate name
 * {@code *.example.com} covers exactly one label ({@code a.example.com}); URIs compare exactly. In a
 * pattern, {@code *} stands for one or more characters within one URI path segment (no {@code /}) or
 * one DNS label (no {@code .}); a pattern with {@code ://} matches URI SANs, any other DNS SANs.
 *
 * <p>Each factory checks its value at once and throws {@link MeshConfigException} naming it.
 * Immutable and thread-safe.
 */
public final class PeerIdentity {
  private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
  private static final Pattern DNS_NAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*");
  private static final Pattern SPIFFE_ID =
      Pattern.compile("spiffe://[a-z0-9._-]+(?:/[A-Za-z0-9._-]+)+");
  private static final Pattern GLOB_CHARS = Pattern.compile("[\\x21-\\x7e]+");

  private final List<String> dnsNames;
  private final List<String> uris;
  private final List<String> patterns;
  private final List<Pattern> compiled;

  private PeerIdentity(List<String> dnsNames, List<String> uris, List<String> patterns) {
    this.dnsNames = List.copyOf(dnsNames);
    this.uris = List.copyOf(uris);
    this.patterns = List.copyOf(patterns);
    List<Pattern> compiled = new ArrayList<>(patterns.size());
    for (String glob : patterns) {
      compiled.add(compile(glob));
    }
    this.compiled = List.copyOf(compiled);
  }

  /**
   * A peer whose certificate carries the DNS SAN {@code name} (or a wildcard SAN covering it).
   *
   * @throws MeshConfigException if {@code name} is not a DNS name
   */
  public static PeerIdentity dnsName(String name) {
    String lower = requireNonNull(name, "name").toLowerCase(Locale.ROOT);
    if (lower.length() > 253 || !DNS_NAME.matcher(lower).matches()) {
      throw new MeshConfigException("peerIdentity.dnsName", name, "a DNS name such as orders.shop.svc (use pattern(...) for wildcards)");
    }
    return new PeerIdentity(List.of(lower), List.of(), List.of());
  }

  /**
   * A peer whose certificate carries the URI SAN {@code uri}, compared exactly.
   *
   * @throws MeshConfigException if {@code uri} is not an absolute URI
   */
  public static PeerIdentity uri(String uri) {
    requireNonNull(uri, "uri");
    try {
      if (!new URI(uri).isAbsolute()) {
        throw new URISyntaxException(uri, "no scheme");
      }
    } catch (URISyntaxException e) {
      throw new MeshConfigException("peerIdentity.uri", uri, "an absolute URI such as spiffe://example.org/ns/shop/sa/orders");
    }
    return new PeerIdentity(List.of(), List.of(uri), List.of());
  }

  /**
   * A peer whose certificate carries the SPIFFE ID {@code spiffeId} as a URI SAN, e.g.
   * {@code spiffe://prod.example/ns/shop/sa/orders}.
   *
   * @throws MeshConfigException if {@code spiffeId} is not a SPIFFE ID of a workload
   */
  public static PeerIdentity spiffeId(String spiffeId) {
    requireNonNull(spiffeId, "spiffeId");
    if (!SPIFFE_ID.matcher(spiffeId).matches() || spiffeId.contains("/./") || spiffeId.contains("/../")
        || spiffeId.endsWith("/.") || spiffeId.endsWith("/..")) {
      throw new MeshConfigException("peerIdentity.spiffeId", spiffeId,
          "spiffe://<trust-domain>/<path>: a lower-case trust domain of letters, digits, '.', '-', '_' "
              + "and path segments of letters, digits, '.', '-', '_'");
    }
    return new PeerIdentity(List.of(), List.of(spiffeId), List.of());
  }

  /**
   * A peer whose certificate carries a SAN matching the glob {@code pattern}: with {@code ://} it
   * matches URI SANs and {@code *} stays within a path segment; otherwise it matches DNS SANs
   * (without regard to case) and {@code *} stays within a label.
   *
   * @throws MeshConfigException if the pattern is blank or holds spaces or control characters
   */
  public static PeerIdentity pattern(String pattern) {
    requireNonNull(pattern, "pattern");
    if (!GLOB_CHARS.matcher(pattern).matches()) {
      throw new MeshConfigException("peerIdentity.pattern", pattern,
          "a SAN pattern such as spiffe://example.org/ns/shop/sa/* or *.orders.example.com");
    }
    return new PeerIdentity(List.of(), List.of(), List.of(pattern));
  }

  /** A peer that satisfies this identity or {@code other}. */
  public PeerIdentity or(PeerIdentity other) {
    requireNonNull(other, "other");
    return new PeerIdentity(concat(dnsNames, other.dnsNames), concat(uris, other.uris), concat(patterns, other.patterns));
  }

  /** The DNS names accepted exactly, in lower case. */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /** The URIs (SPIFFE IDs among them) accepted exactly. */
  public List<String> uris() {
    return uris;
  }

  /** The SAN patterns accepted. */
  public List<String> patterns() {
    return patterns;
  }

  /**
   * Whether a certificate with these SANs satisfies this identity.
   *
   * @param dnsSans the certificate's DNS SANs
   * @param uriSans the certificate's URI SANs
   */
  public boolean matches(Collection<String> dnsSans, Collection<String> uriSans) {
    for (String san : dnsSans) {
      String lower = san.toLowerCase(Locale.ROOT);
      for (String name : dnsNames) {
        if (dnsMatches(name, lower)) {
          return true;
        }
      }
    }
    for (String san : uriSans) {
      if (uris.contains(san)) {
        return true;
      }
    }
    for (int i = 0; i < compiled.size(); i++) {
      boolean uriPattern = patterns.get(i).contains("://");
      for (String san : uriPattern ? uriSans : dnsSans) {
        if (compiled.get(i).matcher(uriPattern ? san : san.toLowerCase(Locale.ROOT)).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the DNS name {@code name} is covered by the certificate name {@code san}, which may
   * start with a wildcard label ({@code *.example.com} covers {@code a.example.com}, not
   * {@code example.com} nor {@code a.b.example.com}). Both in lower case.
   */
  public static boolean dnsMatches(String name, String san) {
    if (san.startsWith("*.")) {
      int dot = name.indexOf('.');
      return dot > 0 && name.substring(dot).equals(san.substring(1));
    }
    return name.equals(san);
  }

  private static Pattern compile(String glob) {
    boolean uri = glob.contains("://");
    String[] parts = (uri ? glob : glob.toLowerCase(Locale.ROOT)).split("\\*", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append(uri ? "[^/]+" : "[^.]+");
      }
      regex.append(Pattern.quote(parts[i]));
    }
    return Pattern.compile(regex.toString());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    for (String s : b) {
      if (!all.contains(s)) {
        all.add(s);
      }
    }
    return all;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PeerIdentity
        && dnsNames.equals(((PeerIdentity) o).dnsNames)
        && uris.equals(((PeerIdentity) o).uris)
        && patterns.equals(((PeerIdentity) o).patterns);
  }

  @Override
  public int hashCode() {
    return (dnsNames.hashCode() * 31 + uris.hashCode()) * 31 + patterns.hashCode();
  }

  /** What a certificate must carry, e.g. {@code URI SAN spiffe://prod.example/ns/shop/sa/orders}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    dnsNames.forEach(n -> parts.add("DNS SAN " + n));
    uris.forEach(u -> parts.add("URI SAN " + u));
    patterns.forEach(p -> parts.add((p.contains("://") ? "URI SAN matching " : "DNS SAN matching ") + p));
    return String.join(" or ", parts);
  }
}
