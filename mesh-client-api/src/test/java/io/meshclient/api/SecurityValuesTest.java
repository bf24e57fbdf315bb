package io.meshclient.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The security values: peer identities, egress rules, redaction and TLS settings. */
class SecurityValuesTest {

  @Test
  void peerIdentityMatchesExactNamesWildcardCertificatesAndPatterns() {
    PeerIdentity spiffe = PeerIdentity.spiffeId("spiffe://prod.example/ns/shop/sa/orders");
    assertThat(spiffe.matches(List.of(), List.of("spiffe://prod.example/ns/shop/sa/orders"))).isTrue();
    assertThat(spiffe.matches(List.of(), List.of("spiffe://prod.example/ns/shop/sa/billing"))).isFalse();
    assertThat(spiffe.matches(List.of("spiffe://prod.example/ns/shop/sa/orders"), List.of()))
        .as("a DNS SAN never satisfies a URI identity").isFalse();

    PeerIdentity dns = PeerIdentity.dnsName("Orders.Shop.svc");
    assertThat(dns.matches(List.of("orders.shop.SVC"), List.of())).isTrue();
    assertThat(dns.matches(List.of("*.shop.svc"), List.of())).as("wildcard certificate").isTrue();
    assertThat(dns.matches(List.of("*.svc"), List.of())).as("a wildcard covers one label only").isFalse();

    PeerIdentity uriPattern = PeerIdentity.pattern("spiffe://prod.example/ns/shop/sa/*");
    assertThat(uriPattern.matches(List.of(), List.of("spiffe://prod.example/ns/shop/sa/orders"))).isTrue();
    assertThat(uriPattern.matches(List.of(), List.of("spiffe://prod.example/ns/shop/sa/orders/x"))).isFalse();
    assertThat(uriPattern.matches(List.of(), List.of("spiffe://prod.example/ns/shop/sa/"))).isFalse();

    PeerIdentity dnsPattern = PeerIdentity.pattern("*.orders.example.com");
    assertThat(dnsPattern.matches(List.of("A.orders.example.com"), List.of())).isTrue();
    assertThat(dnsPattern.matches(List.of("a.b.orders.example.com"), List.of())).isFalse();

    PeerIdentity either = spiffe.or(dns);
    assertThat(either.matches(List.of("orders.shop.svc"), List.of())).isTrue();
    assertThat(either).hasToString("DNS SAN orders.shop.svc or URI SAN spiffe://prod.example/ns/shop/sa/orders");
  }

  @Test
  void egressDenyRulesWinOverAllowRulesWhateverTheOrder() {
    EgressPolicy policy = EgressPolicy.builder()
        .defaultAction(EgressRule.Action.DENY)
        .rule(EgressRule.allow("orders").methods("get").paths("/orders/*").name("read-orders").build())
        .allow("*.example.com")
        .rule(EgressRule.deny("*").paths("/admin/**").name("no-admin").build())
        .build();

    assertThat(policy.deniedBy("orders", "GET", "/orders/42")).isNull();
    assertThat(policy.deniedBy("orders", "POST", "/orders/42")).isEqualTo("default-deny");
    assertThat(policy.deniedBy("orders", "GET", "/orders/42/items")).isEqualTo("default-deny");
    assertThat(policy.deniedBy("api.example.com", "DELETE", "/x")).isNull();
    assertThat(policy.deniedBy("api.example.com", "GET", "/admin/users/1")).isEqualTo("no-admin");
    assertThat(policy.deniedBy("users", "GET", "/")).isEqualTo("default-deny");
    assertThat(policy.canDeny()).isTrue();
    assertThat(EgressPolicy.allowAll().canDeny()).isFalse();
    assertThat(EgressPolicy.allowAll().deniedBy("anything", "GET", "/")).isNull();
    assertThat(EgressRule.deny("payments", "billing").build().name()).isEqualTo("deny:payments,billing");
    assertThat(EgressRule.allow("::1").build().matches("::1", "GET", "/")).as("an IPv6 host").isTrue();
  }

  @Test
  void redactionBlanksCredentialsAndSensitiveParametersOnly() {
    Redaction redaction = Redaction.builder().headers("X-Api-Key").queryParameters("token").build();

    assertThat(redaction.url("https://user:pw@api.example.com:8443/v1/items?token=abc&page=2&Sig=x#token=y"))
        .isEqualTo("https://REDACTED:REDACTED@api.example.com:8443/v1/items?token=REDACTED&page=2&Sig=REDACTED#token=REDACTED");
    assertThat(redaction.url("http://user@orders/a?b")).isEqualTo("http://REDACTED@orders/a?b");
    assertThat(redaction.url("/v1?%74oken=abc")).isEqualTo("/v1?%74oken=REDACTED");
    assertThat(redaction.url("http://orders/a@b")).isEqualTo("http://orders/a@b");
    assertThat(redaction.header("authorization", "Bearer x")).isEqualTo("REDACTED");
    assertThat(redaction.header("x-api-key", "k")).isEqualTo("REDACTED");
    assertThat(redaction.header("Accept", "text/plain")).isEqualTo("text/plain");
    assertThat(Redaction.ofDefaults().isSensitiveHeader("Cookie")).isTrue();
    assertThat(Redaction.ofDefaults().isSensitiveQueryParameter("token")).isFalse();
  }

  @Test
  void tlsPolicyNeverShowsPasswords() {
    TlsPolicy tls = TlsPolicy.builder()
        .keyStore(Path.of("/etc/mesh/client.p12"), "s3cret-store")
        .trustStore(Path.of("/etc/mesh/trust.p12"), "s3cret-trust")
        .build();

    assertThat(tls.toString()).doesNotContain("s3cret").contains("keyStorePassword=REDACTED");
    assertThat(tls.toBuilder().build()).isEqualTo(tls);
    assertThat(TlsPolicy.ofDefaults().hasClientCertificate()).isFalse();
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        bad(() -> PeerIdentity.spiffeId("spiffe://Prod/ns/a"), "peerIdentity.spiffeId: \"spiffe://Prod/ns/a\" (expected: spiffe://"),
        bad(() -> PeerIdentity.spiffeId("spiffe://prod"), "peerIdentity.spiffeId: \"spiffe://prod\" (expected: spiffe://"),
        bad(() -> PeerIdentity.spiffeId("spiffe://prod/ns/../a"), "peerIdentity.spiffeId: \"spiffe://prod/ns/../a\""),
        bad(() -> PeerIdentity.dnsName("*.orders"), "peerIdentity.dnsName: \"*.orders\" (expected: a DNS name"),
        bad(() -> PeerIdentity.uri("orders"), "peerIdentity.uri: \"orders\" (expected: an absolute URI"),
        bad(() -> PeerIdentity.pattern(" "), "peerIdentity.pattern: \" \" (expected: a SAN pattern"),
        bad(() -> EgressRule.allow().build(), "rule.services: [] (expected: at least one service"),
        bad(() -> EgressRule.allow("Bad Host").build(), "rule.services[0]: \"bad host\" (expected: a service or host name"),
        bad(() -> EgressRule.allow("a").methods("GE T").build(), "rule.methods[0]: \"GE T\" (expected: an HTTP method"),
        bad(() -> EgressRule.allow("a").paths("orders").build(), "rule.paths[0]: \"orders\" (expected: a path pattern starting with /"),
        bad(() -> EgressPolicy.builder().deny("a").deny("a").build(), "egress.rules[1].name: \"deny:a\" (expected: a name no other rule has"),
        bad(() -> EgressPolicy.builder().logInterval(Duration.ofSeconds(-1)).build(), "egress.logInterval: PT-1S (expected: >= 0s"),
        bad(() -> Redaction.builder().headers("X Key").build(), "redaction.headers: \"X Key\" (expected: a non-blank name"),
        bad(() -> TlsPolicy.builder().certificateChain(Path.of("/c.pem")).build(),
            "tls.privateKey: null (expected: the private key of tls.certificateChain (/c.pem))"),
        bad(() -> TlsPolicy.builder().privateKey(Path.of("/k.pem")).build(), "tls.certificateChain: null (expected: the certificate chain"),
        bad(() -> TlsPolicy.builder().certificateChain(Path.of("/c.pem")).privateKey(Path.of("/k.pem"))
            .keyStore(Path.of("/k.p12"), null).build(), "tls.keyStore: /k.p12 (expected: either PEM files"),
        bad(() -> TlsPolicy.builder().trustBundle(Path.of("/ca.pem")).trustStore(Path.of("/t.p12"), null).build(),
            "tls.trustStore: /t.p12 (expected: either a PEM trust bundle"),
        bad(() -> TlsPolicy.builder().protocols("TLSv1.1").build(), "tls.protocols[0]: \"TLSv1.1\" (expected: one of [TLSv1.3, TLSv1.2])"),
        bad(() -> TlsPolicy.builder().protocols().build(), "tls.protocols: [] (expected: one or both of"),
        bad(() -> TlsPolicy.builder().reloadInterval(Duration.ofSeconds(-1)).build(), "tls.reloadInterval: PT-1S (expected: >= 0s"),
        bad(() -> TlsPolicy.builder().mode(TlsPolicy.Mode.STRICT).build(), "tls.mode: STRICT (expected: PERMISSIVE when there is no client certificate"));
  }

  @ParameterizedTest
  @MethodSource("invalidValues")
  void invalidValuesAreRefusedWithPathValueAndExpectation(Supplier<Object> build, String messageStart) {
    assertThatThrownBy(build::get).isInstanceOf(MeshConfigException.class).hasMessageStartingWith(messageStart);
  }

  private static Arguments bad(Supplier<Object> build, String messageStart) {
    return Arguments.of(build, messageStart);
  }
}
