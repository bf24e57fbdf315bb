package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which parts of a request are secrets that must never reach a log line, an exception message, a
 * span attribute or a metric tag, and the methods that blank them out. Whatever writes a URL or a
 * header value anywhere goes through these methods first.
 *
 * <p>Always redacted: the values of {@code Authorization}, {@code Proxy-Authorization},
 * {@code Cookie} and {@code Set-Cookie}, and the user name and password of a URL. By default also
 * the query parameters {@code AWSAccessKeyId}, {@code Signature}, {@code sig} and
 * {@code X-Goog-Signature} (as the OpenTelemetry conventions do). Add your own:
 *
 * <pre>{@code
 * Redaction redaction = Redaction.builder()
 *     .headers("X-Api-Key")
 *     .queryParameters("token", "api_key")
 *     .build();
 * redaction.url("https://u:p@api.example.com/v1?token=abc&page=2");
 * // "https://REDACTED:REDACTED@api.example.com/v1?token=REDACTED&page=2"
 * redaction.header("X-Api-Key", "abc");   // "REDACTED"
 * }</pre>
 *
 * <p>Names compare without regard to case. Immutable and thread-safe.
 */
public final class Redaction {
  /** What a redacted value is replaced with. */
  public static final String REDACTED = "REDACTED";

  /** Headers whose values are always redacted, in lower case. */
  public static final Set<String> ALWAYS_REDACTED_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

  /** Query parameters whose values are redacted unless configured otherwise, in lower case. */
  public static final Set<String> DEFAULT_QUERY_PARAMETERS =
      Set.of("awsaccesskeyid", "signature", "sig", "x-goog-signature");

  private static final Redaction DEFAULTS = builder().build();

  private final Set<String> headers;
  private final Set<String> queryParameters;

  private Redaction(Builder b) {
    this.headers = Set.copyOf(b.headers);
    this.queryParameters = Set.copyOf(b.queryParameters);
  }

  /** The default: the always-redacted headers and {@link #DEFAULT_QUERY_PARAMETERS}. */
  public static Redaction ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.headers.addAll(headers);
    b.queryParameters.clear();
    b.queryParameters.addAll(queryParameters);
    return b;
  }

  /** Every header whose value is redacted, in lower case. */
  public Set<String> headers() {
    return headers;
  }

  /** Every query parameter whose value is redacted, in lower case. */
  public Set<String> queryParameters() {
    return queryParameters;
  }

  /** Whether the value of header {@code name} is a secret. */
  public boolean isSensitiveHeader(String name) {
    return headers.contains(name.toLowerCase(Locale.ROOT));
  }

  /** Whether the value of query parameter {@code name} is a secret. */
  public boolean isSensitiveQueryParameter(String name) {
    return queryParameters.contains(name.toLowerCase(Locale.ROOT));
  }

  /** {@code value}, or {@value #REDACTED} if header {@code name} is a secret. */
  public String header(String name, String value) {
    return isSensitiveHeader(name) ? REDACTED : value;
  }

  /**
   * {@code url} with its user name and password and the values of sensitive query parameters
   * (and of sensitive parameters in its fragment) replaced by {@value #REDACTED}. Works on any
   * URL text, absolute or not, without validating it.
   */
  public String url(String url) {
    StringBuilder out = new StringBuilder(url.length());
    int start = 0;
    int scheme = url.indexOf("://");
    int firstDelimiter = firstOf(url, 0, "/?#");
    if (scheme >= 0 && (firstDelimiter < 0 || scheme < firstDelimiter)) {
      int authorityStart = scheme + 3;
      int authorityEnd = firstOf(url, authorityStart, "/?#");
      String authority = url.substring(authorityStart, authorityEnd < 0 ? url.length() : authorityEnd);
      int at = authority.lastIndexOf('@');
      out.append(url, 0, authorityStart);
      if (at >= 0) {
        out.append(authority.substring(0, at).indexOf(':') >= 0 ? REDACTED + ":" + REDACTED : REDACTED)
            .append(authority, at, authority.length());
      } else {
        out.append(authority);
      }
      start = authorityStart + authority.length();
    }
    int query = url.indexOf('?', start);
    int fragment = url.indexOf('#', start);
    if (query > fragment && fragment >= 0) {
      query = -1; // a '?' inside the fragment
    }
    int pathEnd = query >= 0 ? query : fragment >= 0 ? fragment : url.length();
    out.append(url, start, pathEnd);
    if (query >= 0) {
      out.append('?');
      parameters(url.substring(query + 1, fragment >= 0 ? fragment : url.length()), out);
    }
    if (fragment >= 0) {
      out.append('#');
      parameters(url.substring(fragment + 1), out);
    }
    return out.toString();
  }

  private void parameters(String parameters, StringBuilder out) {
    int from = 0;
    while (from <= parameters.length()) {
      int end = parameters.indexOf('&', from);
      if (end < 0) {
        end = parameters.length();
      }
      String pair = parameters.substring(from, end);
      int eq = pair.indexOf('=');
      if (eq >= 0 && isSensitiveQueryParameter(decode(pair.substring(0, eq)))) {
        out.append(pair, 0, eq + 1).append(REDACTED);
      } else {
        out.append(pair);
      }
      if (end < parameters.length()) {
        out.append('&');
      }
      from = end + 1;
    }
  }

  private static String decode(String name) {
    try {
      return URLDecoder.decode(name, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return name;
    }
  }

  private static int firstOf(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Redaction
        && headers.equals(((Redaction) o).headers)
        && queryParameters.equals(((Redaction) o).queryParameters);
  }

  @Override
  public int hashCode() {
    return headers.hashCode() * 31 + queryParameters.hashCode();
  }

  @Override
  public String toString() {
    return "Redaction{headers=" + new TreeSet<>(headers) + ", queryParameters=" + new TreeSet<>(queryParameters) + "}";
  }

  /** Builds a {@link Redaction}. Not thread-safe. */
  public static final class Builder {
    private final Set<String> headers = new TreeSet<>(ALWAYS_REDACTED_HEADERS);
    private final Set<String> queryParameters = new TreeSet<>(DEFAULT_QUERY_PARAMETERS);

    private Builder() {}

    /** Also redacts the values of these headers. */
    public Builder headers(String... names) {
      for (String name : names) {
        headers.add(checkName("redaction.headers", name));
      }
      return this;
    }

    /** Also redacts the values of these query parameters. */
    public Builder queryParameters(String... names) {
      for (String name : names) {
        queryParameters.add(checkName("redaction.queryParameters", name));
      }
      return this;
    }

    /** Redacts only the query parameters given after this call (the headers always stay). */
    public Builder clearQueryParameters() {
      queryParameters.clear();
      return this;
    }

    private static String checkName(String path, String name) {
      requireNonNull(name, "name");
      if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
        throw new MeshConfigException(path, name, "a non-blank name without spaces");
      }
      return name.toLowerCase(Locale.ROOT);
    }

    /** Builds the value. */
    public Redaction build() {
      return new Redaction(this);
    }
  }
}
