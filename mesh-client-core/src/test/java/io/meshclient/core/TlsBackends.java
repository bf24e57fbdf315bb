package io.meshclient.core;

import io.meshclient.api.Endpoint;
import io.meshclient.core.internal.tls.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Handshake;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * HTTPS MockWebServers on 127.0.0.1 for one test, closed after it, plus the test's PKI: a client
 * authority, a server authority, and PEM files of the client certificate under a temporary folder.
 * Each server answers 200 with the URI SAN of the client certificate it saw (or {@code none}).
 */
final class TlsBackends implements AfterEachCallback {
  static final String CLIENT_ID = "spiffe://test.example/ns/shop/sa/frontend";
  static final String ORDERS_ID = "spiffe://test.example/ns/shop/sa/orders";

  final TestPki clientCa = TestPki.authority("client-ca");
  final TestPki serverCa = TestPki.authority("server-ca");
  private final List<MockWebServer> servers = new ArrayList<>();

  /** A server presenting {@code certificate}; {@code clientAuth} is "require", "request" or "none". */
  MockWebServer start(TestPki.Issued certificate, String clientAuth) {
    MockWebServer server = new MockWebServer();
    server.useHttps(certificate.serverSocketFactory(clientCa));
    switch (clientAuth) {
      case "require" -> server.requireClientAuth();
      case "request" -> server.requestClientAuth();
      default -> server.noClientAuth();
    }
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse.Builder().code(200).body(clientIdentity(request.getHandshake())).build();
      }
    });
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    servers.add(server);
    return server;
  }

  /** A server with a certificate for 127.0.0.1 and the orders SPIFFE ID, requiring client certificates. */
  MockWebServer orders() {
    return start(serverCa.issue("orders", "IP:127.0.0.1", "URI:" + ORDERS_ID), "require");
  }

  /** Writes a client certificate with {@link #CLIENT_ID} and the server authority's bundle under {@code dir}. */
  void writeClientFiles(Path dir) {
    clientCa.issue("frontend", "URI:" + CLIENT_ID).writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    TestPki.write(dir.resolve("ca.pem"), serverCa.certificatePem());
  }

  static Endpoint secure(MockWebServer server) {
    return Endpoint.builder("127.0.0.1", server.getPort()).secure(true).build();
  }

  static String clientIdentity(Handshake handshake) {
    if (handshake == null || handshake.peerCertificates().isEmpty()) {
      return "none";
    }
    Certificate leaf = handshake.peerCertificates().get(0);
    try {
      for (List<?> san : ((X509Certificate) leaf).getSubjectAlternativeNames()) {
        if ((Integer) san.get(0) == 6) {
          return san.get(1) + " serial " + ((X509Certificate) leaf).getSerialNumber();
        }
      }
    } catch (CertificateParsingException | NullPointerException e) {
      return "unreadable";
    }
    return "no URI SAN";
  }

  @Override
  public void afterEach(ExtensionContext context) {
    servers.forEach(MockWebServer::close);
    servers.clear();
  }
}
