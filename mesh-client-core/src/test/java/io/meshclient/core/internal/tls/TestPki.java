package io.meshclient.core.internal.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in tests: a certificate authority that issues leaves with DNS, IP and URI
 * (SPIFFE) subject alternative names and any validity, written as PEM files and turned into
 * server socket factories for MockWebServer. EC P-256 keys, which are quick to make.
 */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

  private final String name;
  private final KeyPair keyPair;
  private final X509Certificate certificate;

  private TestPki(String name, KeyPair keyPair, X509Certificate certificate) {
    this.name = name;
    this.keyPair = keyPair;
    this.certificate = certificate;
  }

  /** A new self-signed certificate authority. */
  public static TestPki authority(String name) {
    KeyPair keys = keyPair();
    Instant now = Instant.now();
    X509Certificate certificate = sign(name, keys, name, keys, List.of(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), true);
    return new TestPki(name, keys, certificate);
  }

  /** A leaf valid from yesterday for 30 days, with SANs written {@code DNS:x}, {@code IP:x} or {@code URI:x}. */
  public Issued issue(String commonName, String... sans) {
    Instant now = Instant.now();
    return issue(commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), sans);
  }

  /** A leaf with the given validity. */
  public Issued issue(String commonName, Instant notBefore, Instant notAfter, String... sans) {
    KeyPair keys = keyPair();
    return new Issued(keys, sign(commonName, keys, name, keyPair, List.of(sans), notBefore, notAfter, false), certificate);
  }

  /** The authority's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The authority's certificate as PEM. */
  public String certificatePem() {
    return pem("CERTIFICATE", encoded(certificate));
  }

  /** One issued certificate, its key, and the authority that signed it. */
  public record Issued(KeyPair keyPair, X509Certificate certificate, X509Certificate authority) {
    /** The leaf certificate as PEM. */
    public String certificatePem() {
      return pem("CERTIFICATE", encoded(certificate));
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPem() {
      return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
    }

    /** Writes the certificate and key to {@code cert} and {@code key} atomically (write, then move). */
    public void writeTo(Path cert, Path key) {
      write(cert, certificatePem());
      write(key, privateKeyPem());
    }

    /** A server socket factory presenting this certificate, trusting client certificates of {@code clients}. */
    public SSLSocketFactory serverSocketFactory(TestPki clients) {
      try {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", keyPair.getPrivate(), new char[0], new X509Certificate[] {certificate, authority});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("clients", clients.certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context.getSocketFactory();
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Writes {@code text} to {@code file} through a temporary file and an atomic move. */
  public static void write(Path file, String text) {
    try {
      Path temp = Files.createTempFile(file.getParent(), ".tmp", ".pem");
      Files.writeString(temp, text, StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys, List<String> sans,
      Instant notBefore, Instant notAfter, boolean authority) {
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
          new X500Name("CN=" + subject), subjectKeys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
      if (authority) {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      List<GeneralName> names = new ArrayList<>();
      for (String san : sans) {
        String value = san.substring(san.indexOf(':') + 1);
        switch (san.substring(0, san.indexOf(':'))) {
          case "DNS" -> names.add(new GeneralName(GeneralName.dNSName, value));
          case "IP" -> names.add(new GeneralName(GeneralName.iPAddress, value));
          case "URI" -> names.add(new GeneralName(GeneralName.uniformResourceIdentifier, value));
          default -> throw new IllegalArgumentException(san);
        }
      }
      if (!names.isEmpty()) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
      }
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("could not make a test certificate", e);
    }
  }
}
