package io.meshclient.core.internal.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The subject alternative names of a certificate, by type: the public part of a certificate that
 * identity checks and messages use. A certificate whose SAN extension cannot be parsed has none.
 */
final class CertificateNames {
  private static final int DNS = 2;
  private static final int URI = 6;
  private static final int IP = 7;

  private CertificateNames() {}

  static List<String> dns(X509Certificate certificate) {
    return ofType(certificate, DNS);
  }

  static List<String> uris(X509Certificate certificate) {
    return ofType(certificate, URI);
  }

  static List<String> ips(X509Certificate certificate) {
    return ofType(certificate, IP);
  }

  /** Every DNS, URI and IP SAN, e.g. {@code [URI:spiffe://example.org/ns/a/sa/b, DNS:b.a.svc]}. */
  static String describe(X509Certificate certificate) {
    List<String> all = new ArrayList<>();
    uris(certificate).forEach(n -> all.add("URI:" + n));
    dns(certificate).forEach(n -> all.add("DNS:" + n));
    ips(certificate).forEach(n -> all.add("IP:" + n));
    return all.isEmpty() ? "a certificate without subject alternative names" : all.toString();
  }

  private static List<String> ofType(X509Certificate certificate, int type) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return List.of();
    }
    if (names == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>(names.size());
    for (List<?> name : names) {
      if (name.size() >= 2 && name.get(0) instanceof Integer && (Integer) name.get(0) == type && name.get(1) instanceof String) {
        values.add((String) name.get(1));
      }
    }
    return values;
  }
}
