package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshConfigException;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.internal.tls.CertificateReloader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security settings given to the mesh builder: file errors at build time, the reloader's lifetime. */
class SecurityConfigTest {
  @TempDir Path dir;

  @Test
  void anUnreadableTlsFileFailsTheBuildNamingTheSettingAndTheFile() {
    Path missing = dir.resolve("x.pem");
    TlsPolicy tls = TlsPolicy.builder().certificateChain(missing).privateKey(dir.resolve("key.pem")).build();

    assertThatThrownBy(() -> MeshClient.builder().tls(tls).service("orders", Endpoint.of("10.0.0.7", 8443)).build())
        .isInstanceOf(MeshConfigException.class)
        .hasMessage("tls.certificateChain: " + missing + " (expected: a readable PEM file; there is no such file)");
  }

  @Test
  void closingTheMeshStopsWatchingTheTlsFiles() {
    new TlsBackends().writeClientFiles(dir);
    TlsPolicy tls = TlsPolicy.builder().certificateChain(dir.resolve("cert.pem")).privateKey(dir.resolve("key.pem"))
        .trustBundle(dir.resolve("ca.pem")).build();
    MeshClient mesh = MeshClient.builder().tls(tls).service("orders", Endpoint.of("10.0.0.7", 8443)).build();
    CertificateReloader reloader = mesh.security().reloader();
    assertThat(reloader.isRunning()).isTrue();

    mesh.close();

    assertThat(reloader.isRunning()).isFalse();
  }

  @Test
  void withoutSecuritySettingsAttemptsUseTheTransportUnchanged() {
    try (MeshClient mesh = MeshClient.builder().service("orders", Endpoint.of("10.0.0.7", 8080)).build()) {
      assertThat(mesh.security().reloader()).isNull();
      assertThat(mesh.snapshot().egress().denied()).isZero();
    }
  }
}
