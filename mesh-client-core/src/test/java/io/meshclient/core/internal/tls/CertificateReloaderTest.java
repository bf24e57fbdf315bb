package io.meshclient.core.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshclient.api.TlsPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reloader installs new material only when the files changed and fit together. */
class CertificateReloaderTest {
  private final TestPki ca = TestPki.authority("client-ca");
  private final List<TlsMaterial> installed = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  private TlsPolicy policy(Duration reloadInterval) {
    ca.issue("a", "URI:spiffe://test.example/a").writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    TestPki.write(dir.resolve("ca.pem"), ca.certificatePem());
    return TlsPolicy.builder().certificateChain(dir.resolve("cert.pem")).privateKey(dir.resolve("key.pem"))
        .trustBundle(dir.resolve("ca.pem")).reloadInterval(reloadInterval).build();
  }

  @Test
  void installsOnlyChangedMaterialWhoseKeyMatchesItsCertificate() {
    TlsPolicy policy = policy(Duration.ZERO);
    TlsMaterial first = TlsMaterial.load(policy);
    CertificateReloader reloader = new CertificateReloader(policy, first, installed::add);

    assertThat(reloader.reloadIfChanged()).as("nothing changed").isFalse();

    TestPki.Issued next = ca.issue("b", "URI:spiffe://test.example/b");
    TestPki.write(dir.resolve("cert.pem"), next.certificatePem());
    assertThat(reloader.reloadIfChanged()).as("new certificate, old key").isFalse();
    TestPki.write(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");
    assertThat(reloader.reloadIfChanged()).as("a broken key").isFalse();
    assertThat(installed).isEmpty();

    TestPki.write(dir.resolve("key.pem"), next.privateKeyPem());
    assertThat(reloader.reloadIfChanged()).isTrue();
    assertThat(installed).hasSize(1);
    assertThat(installed.get(0).clientCertificate()).isEqualTo(next.certificate());
    assertThat(reloader.reloadIfChanged()).as("the same files again").isFalse();
  }

  @Test
  void aFileEventTriggersTheReloadAndCloseStopsTheThread() {
    TlsPolicy policy = policy(Duration.ofMinutes(10)); // only a file event can be quick enough
    CertificateReloader reloader = new CertificateReloader(policy, TlsMaterial.load(policy), installed::add);
    reloader.start();
    try {
      TestPki.Issued next = ca.issue("b", "URI:spiffe://test.example/b");
      next.writeTo(dir.resolve("cert.pem"), dir.resolve("key.pem"));
      await().atMost(Duration.ofSeconds(20)).until(() -> installed.stream().anyMatch(m -> next.certificate().equals(m.clientCertificate())));
      assertThat(reloader.isRunning()).isTrue();
    } finally {
      reloader.close();
    }
    assertThat(reloader.isRunning()).isFalse();
  }

  @Test
  void aZeroIntervalNeverStartsAThread() {
    TlsPolicy policy = policy(Duration.ZERO);
    try (CertificateReloader reloader = new CertificateReloader(policy, TlsMaterial.load(policy), installed::add)) {
      reloader.start();
      assertThat(reloader.isRunning()).isFalse();
    }
  }
}
