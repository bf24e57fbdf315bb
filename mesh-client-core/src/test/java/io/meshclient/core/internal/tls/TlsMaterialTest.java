package io.meshclient.core.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.TlsPolicy;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading TLS material: the PEM key forms, key and trust stores, and what a bad file is told. */
class TlsMaterialTest {
  private final TestPki ca = TestPki.authority("ca");
  @TempDir Path dir;

  private TlsPolicy pem(String keyPem, String certPem) {
    TestPki.write(dir.resolve("cert.pem"), certPem);
    TestPki.write(dir.resolve("key.pem"), keyPem);
    return TlsPolicy.builder().certificateChain(dir.resolve("cert.pem")).privateKey(dir.resolve("key.pem")).build();
  }

  @Test
  void readsPkcs8Sec1AndPkcs1Keys() throws Exception {
    TestPki.Issued ec = ca.issue("ec", "DNS:ec.test");
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.keyPair().getPrivate().getEncoded());
    byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) ec.keyPair().getPrivate()).getS(),
        info.getPrivateKeyAlgorithm().getParameters()).getEncoded(); // as openssl writes it: with the curve
    assertThat(TlsMaterial.load(pem(ec.privateKeyPem(), ec.certificatePem())).clientCertificate()).isEqualTo(ec.certificate());
    assertThat(TlsMaterial.load(pem(TestPki.pem("EC PRIVATE KEY", sec1), ec.certificatePem() + ca.certificatePem()))
        .describeClientCertificate()).startsWith("[DNS:ec.test] valid ");

    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair keys = rsa.generateKeyPair();
    byte[] pkcs1 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
    assertThat(PemFiles.privateKey(TestPki.pem("RSA PRIVATE KEY", pkcs1).getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo(keys.getPrivate());
  }

  @Test
  void saysWhenTheClientCertificateIsNotValidNow() {
    java.time.Instant now = java.time.Instant.now();
    TestPki.Issued old = ca.issue("old", now.minus(java.time.Duration.ofDays(9)), now.minus(java.time.Duration.ofDays(1)), "DNS:old.test");
    assertThat(TlsMaterial.load(pem(old.privateKeyPem(), old.certificatePem())).clientCertificateProblem())
        .startsWith("the client certificate is not valid now (");
    TestPki.Issued fresh = ca.issue("fresh", "DNS:fresh.test");
    assertThat(TlsMaterial.load(pem(fresh.privateKeyPem(), fresh.certificatePem())).clientCertificateProblem()).isNull();
  }

  @Test
  void badPemFilesAreNamedWithWhatWasExpected() {
    TestPki.Issued a = ca.issue("a", "DNS:a.test");
    TestPki.Issued b = ca.issue("b", "DNS:b.test");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");

    assertThatThrownBy(() -> TlsMaterial.load(pem(b.privateKeyPem(), a.certificatePem())))
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("tls.privateKey: " + key + " (expected: the private key of the first certificate in tls.certificateChain"
            + " ([DNS:a.test]); the key does not match it)");
    assertThatThrownBy(() -> TlsMaterial.load(pem(a.privateKeyPem(), "hello")))
        .hasMessage("tls.certificateChain: " + cert + " (expected: a readable PEM file with at least one CERTIFICATE block)");
    assertThatThrownBy(() -> TlsMaterial.load(pem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
        a.certificatePem())))
        .hasMessageStartingWith("tls.privateKey: " + key + " (expected: a PEM file with an unencrypted PKCS#8")
        .hasMessageEndingWith("the key is encrypted; an unencrypted key is needed)");
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> TlsMaterial.load(TlsPolicy.builder().trustBundle(missing).build()))
        .hasMessage("tls.trustBundle: " + missing + " (expected: a readable PEM file; there is no such file)");
  }

  @Test
  void readsKeyAndTrustStoresAndNeverShowsTheirPasswords() throws Exception {
    TestPki.Issued a = ca.issue("a", "DNS:a.test");
    Path keyStore = dir.resolve("client.p12");
    store(keyStore, "store-pw-1", ks -> ks.setKeyEntry("client", a.keyPair().getPrivate(), "store-pw-1".toCharArray(),
        new X509Certificate[] {a.certificate(), ca.certificate()}));
    Path trustStore = dir.resolve("trust.p12");
    store(trustStore, "store-pw-2", ks -> ks.setCertificateEntry("ca", ca.certificate()));

    TlsMaterial material = TlsMaterial.load(TlsPolicy.builder().keyStore(keyStore, "store-pw-1").trustStore(trustStore, "store-pw-2").build());
    assertThat(material.clientCertificate()).isEqualTo(a.certificate());
    assertThat(material.trustDescription()).isEqualTo("the authorities in " + trustStore);

    assertThatThrownBy(() -> TlsMaterial.load(TlsPolicy.builder().keyStore(keyStore, "wrong-pw-3").build()))
        .hasMessageStartingWith("tls.keyStore: " + keyStore + " (expected: a readable PKCS12 key store that opens with tls.keyStorePassword")
        .hasMessageNotContaining("pw-");
    Path two = dir.resolve("two.p12");
    store(two, "pw", ks -> {
      ks.setKeyEntry("one", a.keyPair().getPrivate(), "pw".toCharArray(), new X509Certificate[] {a.certificate()});
      ks.setKeyEntry("two", a.keyPair().getPrivate(), "pw".toCharArray(), new X509Certificate[] {a.certificate()});
    });
    assertThatThrownBy(() -> TlsMaterial.load(TlsPolicy.builder().keyStore(two, "pw").build()))
        .hasMessageEndingWith("(expected: a key store with exactly one private key entry and its certificate chain (found 2 key entries))");
  }

  private interface Filler {
    void fill(KeyStore store) throws Exception;
  }

  private static void store(Path file, String password, Filler filler) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    filler.fill(store);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
  }
}
