package io.meshclient.core;

import static io.meshclient.core.TlsBackends.CLIENT_ID;
import static io.meshclient.core.TlsBackends.ORDERS_ID;
import static io.meshclient.core.TlsBackends.secure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshclient.api.Endpoint;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.PeerIdentityException;
import io.meshclient.api.PeerIdentityException.Reason;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.internal.tls.TestPki;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Mesh calls over real mutual TLS on loopback: identities, validity, trust and the STRICT mode. */
class MutualTlsTest {
  @RegisterExtension final TlsBackends backends = new TlsBackends();
  @TempDir Path dir;
  private MeshClient mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private TlsPolicy.Builder tls() {
    backends.writeClientFiles(dir);
    return TlsPolicy.builder()
        .certificateChain(dir.resolve("cert.pem"))
        .privateKey(dir.resolve("key.pem"))
        .trustBundle(dir.resolve("ca.pem"));
  }

  /** A client whose service "orders" has one endpoint and no retries, configured by {@code extra}. */
  private OkHttpClient client(TlsPolicy tls, Endpoint endpoint, Consumer<ServiceBuilder> extra) {
    mesh = MeshClient.builder()
        .tls(tls)
        .service("orders", s -> {
          s.endpoints(endpoint).retry(RetryPolicy.builder().maxAttempts(1).build());
          extra.accept(s);
        })
        .build();
    return mesh.decorate(new OkHttpClient.Builder()).build();
  }

  private static String get(OkHttpClient client) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url("http://orders/items").build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      return response.body().string();
    }
  }

  /** The refusal of a GET on a one-attempt service: the typed exception itself, not wrapped. */
  static PeerIdentityException refused(OkHttpClient client) {
    Throwable thrown = catchThrowable(() -> get(client));
    assertThat(thrown).isInstanceOf(PeerIdentityException.class);
    return (PeerIdentityException) thrown;
  }

  @Test
  void callsAServiceOverMutualTlsWithTheClientCertificate() throws Exception {
    MockWebServer orders = backends.orders();
    OkHttpClient client = client(tls().build(), secure(orders), s -> s.peerIdentity(PeerIdentity.spiffeId(ORDERS_ID)));

    assertThat(get(client)).startsWith(CLIENT_ID);
    assertThat(orders.takeRequest().getHandshake().tlsVersion().javaName()).isEqualTo("TLSv1.3");
  }

  @Test
  void offersOnlyTheConfiguredProtocolVersions() throws Exception {
    MockWebServer orders = backends.orders();
    OkHttpClient client = client(tls().protocols("TLSv1.2").build(), secure(orders), s -> { });

    assertThat(get(client)).startsWith(CLIENT_ID);
    assertThat(orders.takeRequest().getHandshake().tlsVersion().javaName()).isEqualTo("TLSv1.2");
  }

  @Test
  void refusesAPeerWithAnotherSpiffeIdBeforeSendingTheRequest() {
    MockWebServer orders = backends.orders();
    String billing = "spiffe://test.example/ns/shop/sa/billing";
    OkHttpClient client = client(tls().build(), secure(orders), s -> s.peerIdentity(PeerIdentity.spiffeId(billing)));

    PeerIdentityException e = refused(client);

    assertThat(e.reason()).isEqualTo(Reason.IDENTITY_MISMATCH);
    assertThat(e.service()).isEqualTo("orders");
    assertThat(e.address()).isEqualTo("127.0.0.1:" + orders.getPort());
    assertThat(e.expected()).isEqualTo("URI SAN " + billing);
    assertThat(e.presented()).isEqualTo("[URI:" + ORDERS_ID + ", IP:127.0.0.1]");
    assertThat(e.getMessage()).contains("expected URI SAN " + billing, "presented [URI:" + ORDERS_ID);
    assertThat(orders.getRequestCount()).as("no request reached the peer").isZero();
  }

  @Test
  void acceptsAPeerMatchingAPatternOrADnsName() throws Exception {
    MockWebServer orders = backends.start(backends.serverCa.issue("orders", "DNS:orders.shop.svc", "URI:" + ORDERS_ID), "require");
    OkHttpClient byPattern = client(tls().build(), secure(orders),
        s -> s.peerIdentity(PeerIdentity.pattern("spiffe://test.example/ns/shop/sa/*")));
    assertThat(get(byPattern)).startsWith(CLIENT_ID);
    mesh.close();

    OkHttpClient byDns = client(tls().build(), secure(orders), s -> s.peerIdentity(PeerIdentity.dnsName("orders.shop.svc")));
    assertThat(get(byDns)).startsWith(CLIENT_ID);
    mesh.close();

    OkHttpClient wrongDns = client(tls().build(), secure(orders), s -> s.peerIdentity(PeerIdentity.dnsName("billing.shop.svc")));
    assertThat(refused(wrongDns).presented()).isEqualTo("[URI:" + ORDERS_ID + ", DNS:orders.shop.svc]");
  }

  @Test
  void withoutAnIdentityTheCertificateMustNameTheEndpointHost() throws Exception {
    MockWebServer named = backends.start(backends.serverCa.issue("orders", "DNS:orders.shop.svc"), "require");
    OkHttpClient client = client(tls().build(), secure(named), s -> { });

    PeerIdentityException e = refused(client);

    assertThat(e.reason()).isEqualTo(Reason.IDENTITY_MISMATCH);
    assertThat(e.expected()).isEqualTo("a DNS or IP SAN naming the endpoint's host 127.0.0.1");
    assertThat(named.getRequestCount()).isZero();
  }

  @Test
  void refusesExpiredNotYetValidAndUntrustedCertificatesWithClearMessages() {
    Instant now = Instant.now();
    MockWebServer expired = backends.start(backends.serverCa.issue("old", now.minus(Duration.ofDays(10)),
        now.minus(Duration.ofDays(1)), "IP:127.0.0.1"), "require");
    PeerIdentityException e = refused(client(tls().build(), secure(expired), s -> { }));
    assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(e.getMessage()).contains("[IP:127.0.0.1] expired at ");
    mesh.close();

    MockWebServer early = backends.start(backends.serverCa.issue("early", now.plus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(10)), "IP:127.0.0.1"), "require");
    e = refused(client(tls().build(), secure(early), s -> { }));
    assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID);
    assertThat(e.getMessage()).contains("valid only from ");
    mesh.close();

    MockWebServer rogue = backends.start(TestPki.authority("rogue-ca").issue("orders", "IP:127.0.0.1"), "require");
    e = refused(client(tls().build(), secure(rogue), s -> { }));
    assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED);
    assertThat(e.getMessage()).contains("expected a chain to one of 1 authority from " + dir.resolve("ca.pem"),
        "issued by CN=rogue-ca");
    assertThat(expired.getRequestCount() + early.getRequestCount() + rogue.getRequestCount()).isZero();
  }

  @Test
  void aServerThatDoesNotAskForTheClientCertificateIsCalledWhenPermissiveAndRefusedWhenStrict() throws Exception {
    MockWebServer plainTls = backends.start(backends.serverCa.issue("orders", "IP:127.0.0.1"), "none");

    assertThat(get(client(tls().build(), secure(plainTls), s -> { }))).isEqualTo("none");
    mesh.close();

    PeerIdentityException e = refused(client(tls().mode(TlsPolicy.Mode.STRICT).build(), secure(plainTls), s -> { }));
    assertThat(e.reason()).isEqualTo(Reason.NO_CLIENT_AUTH);
    assertThat(plainTls.getRequestCount()).as("only the permissive call arrived").isEqualTo(1);
  }

  @Test
  void aServiceWithAnIdentityIsNeverCalledOverPlainHttp() throws Exception {
    Endpoint plain = Backends.refusing(); // nothing listens: any connection attempt would fail differently
    OkHttpClient client = client(tls().build(), plain, s -> s.peerIdentity(PeerIdentity.spiffeId(ORDERS_ID)));

    PeerIdentityException e = refused(client);

    assertThat(e.reason()).isEqualTo(Reason.PLAINTEXT);
    assertThat(e.expected()).isEqualTo("URI SAN " + ORDERS_ID);
  }

  @Test
  void strictModeRefusesEndpointsNotMarkedSecure() throws Exception {
    OkHttpClient client = client(tls().mode(TlsPolicy.Mode.STRICT).build(), Backends.refusing(), s -> { });

    assertThat(refused(client).reason()).isEqualTo(Reason.PLAINTEXT);
  }

  @Test
  void aPeerIdentityWithoutTlsSettingsUsesTheJdkTrust() {
    MockWebServer orders = backends.orders();
    mesh = MeshClient.builder()
        .service("orders", s -> s.endpoints(secure(orders)).retry(RetryPolicy.builder().maxAttempts(1).build())
            .peerIdentity(PeerIdentity.spiffeId(ORDERS_ID)))
        .build();
    OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();

    PeerIdentityException e = refused(client);
    assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED);
    assertThat(e.getMessage()).contains("expected a chain to one of the JDK's default authorities");
  }
}
