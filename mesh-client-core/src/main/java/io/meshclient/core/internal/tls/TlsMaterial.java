package io.meshclient.core.internal.tls;

import io.meshclient.api.MeshConfigException;
import io.meshclient.api.TlsPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The TLS material read from a {@link TlsPolicy}'s files at one moment: the client key manager (if
 * a client certificate is configured), the PKIX trust manager over the configured authorities (or
 * the JDK's), and a fingerprint of the file contents to notice a rotation. Every file is read once
 * per load, so the fingerprint describes exactly the bytes the material came from.
 *
 * <p>Immutable. Errors are {@link MeshConfigException}s naming the setting and the file, never a
 * password or key bytes.
 */
public final class TlsMaterial {
  private static final String PEM = "a readable PEM file";

  private final @Nullable ClientCertificate keyManager;
  private final @Nullable X509Certificate clientCertificate;
  private final X509ExtendedTrustManager trust;
  private final String trustDescription;
  private final String fingerprint;

  private TlsMaterial(@Nullable ClientCertificate keyManager, @Nullable X509Certificate clientCertificate,
      X509ExtendedTrustManager trust, String trustDescription, String fingerprint) {
    this.keyManager = keyManager;
    this.clientCertificate = clientCertificate;
    this.trust = trust;
    this.trustDescription = trustDescription;
    this.fingerprint = fingerprint;
  }

  /**
   * Reads and checks every file of {@code policy}.
   *
   * @throws MeshConfigException naming the first file that cannot be used
   */
  public static TlsMaterial load(TlsPolicy policy) {
    Map<String, byte[]> files = read(policy);
    ClientCertificate keyManager = null;
    X509Certificate leaf = null;
    if (policy.certificateChain() != null) {
      List<X509Certificate> chain = certificates(files, "tls.certificateChain", policy.certificateChain());
      PrivateKey key = privateKey(files.get("tls.privateKey"), policy.privateKey());
      leaf = chain.get(0);
      checkPair(key, leaf, "tls.privateKey", policy.privateKey(), "the private key of the first certificate in tls.certificateChain");
      keyManager = new ClientCertificate(key, chain.toArray(new X509Certificate[0]));
    } else if (policy.keyStore() != null) {
      KeyStore store = store(files.get("tls.keyStore"), policy.keyStoreType(), policy.keyStorePassword(), "tls.keyStore", policy.keyStore());
      Map.Entry<PrivateKey, X509Certificate[]> entry = keyEntry(store, policy);
      leaf = entry.getValue()[0];
      checkPair(entry.getKey(), leaf, "tls.keyStore", policy.keyStore(), "a key entry whose key belongs to its certificate");
      keyManager = new ClientCertificate(entry.getKey(), entry.getValue());
    }
    KeyStore anchors = null;
    String description = "the JDK's default authorities";
    if (policy.trustBundle() != null) {
      List<X509Certificate> authorities = certificates(files, "tls.trustBundle", policy.trustBundle());
      anchors = inMemory(authorities);
      description = authorities.size() + " authorit" + (authorities.size() == 1 ? "y" : "ies") + " from " + policy.trustBundle();
    } else if (policy.trustStore() != null) {
      anchors = store(files.get("tls.trustStore"), policy.trustStoreType(), policy.trustStorePassword(), "tls.trustStore", policy.trustStore());
      description = "the authorities in " + policy.trustStore();
    }
    return new TlsMaterial(keyManager, leaf, pkix(anchors, policy), description, fingerprint(files));
  }

  /**
   * The fingerprint of the files as they are now, to compare with {@link #fingerprint()}.
   *
   * @throws MeshConfigException if a file cannot be read
   */
  public static String fingerprintOf(TlsPolicy policy) {
    return fingerprint(read(policy));
  }

  /** The files of {@code policy}, by setting name. */
  static Map<String, Path> files(TlsPolicy policy) {
    Map<String, Path> files = new LinkedHashMap<>();
    putIfSet(files, "tls.certificateChain", policy.certificateChain());
    putIfSet(files, "tls.privateKey", policy.privateKey());
    putIfSet(files, "tls.keyStore", policy.keyStore());
    putIfSet(files, "tls.trustBundle", policy.trustBundle());
    putIfSet(files, "tls.trustStore", policy.trustStore());
    return files;
  }

  /** The client key manager, or null when no client certificate is configured. */
  @Nullable ClientCertificate keyManager() {
    return keyManager;
  }

  /** The PKIX trust manager over the configured authorities. */
  X509ExtendedTrustManager trust() {
    return trust;
  }

  /** Where trust comes from, for messages: {@code 2 authorities from /etc/mesh/ca.pem}. */
  String trustDescription() {
    return trustDescription;
  }

  /** A hash of the files' contents. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The client certificate's SANs and validity, or {@code no client certificate}, for logs. */
  public String describeClientCertificate() {
    if (clientCertificate == null) {
      return "no client certificate";
    }
    return CertificateNames.describe(clientCertificate) + " valid " + clientCertificate.getNotBefore().toInstant()
        + " to " + clientCertificate.getNotAfter().toInstant();
  }

  /** Why the client certificate is not valid now (expired, or not yet valid), or null if it is or there is none. */
  public @Nullable String clientCertificateProblem() {
    if (clientCertificate == null) {
      return null;
    }
    try {
      clientCertificate.checkValidity();
      return null;
    } catch (java.security.cert.CertificateException e) {
      return "the client certificate is not valid now (" + e.getMessage() + "); servers that ask for it will refuse it";
    }
  }

  /** The client certificate, or null. */
  public @Nullable X509Certificate clientCertificate() {
    return clientCertificate;
  }

  private static Map<String, byte[]> read(TlsPolicy policy) {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (Map.Entry<String, Path> file : files(policy).entrySet()) {
      try {
        contents.put(file.getKey(), Files.readAllBytes(file.getValue()));
      } catch (NoSuchFileException e) {
        throw new MeshConfigException(file.getKey(), file.getValue(), expectedFile(file.getKey()) + "; there is no such file");
      } catch (IOException | SecurityException e) {
        throw new MeshConfigException(file.getKey(), file.getValue(), expectedFile(file.getKey()) + "; reading it failed: " + e);
      }
    }
    return contents;
  }

  private static String expectedFile(String setting) {
    return setting.endsWith("Store") ? "a readable key store file" : PEM;
  }

  private static String fingerprint(Map<String, byte[]> files) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        sha256.update(file.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha256.update(file.getValue());
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static List<X509Certificate> certificates(Map<String, byte[]> files, String setting, @Nullable Path path) {
    List<X509Certificate> certificates;
    try {
      certificates = PemFiles.certificates(files.get(setting));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new MeshConfigException(setting, path, PEM + " of X.509 certificates; one could not be parsed (" + e.getMessage() + ")");
    }
    if (certificates.isEmpty()) {
      throw new MeshConfigException(setting, path, PEM + " with at least one CERTIFICATE block");
    }
    return certificates;
  }

  private static PrivateKey privateKey(byte[] pem, @Nullable Path path) {
    try {
      return PemFiles.privateKey(pem);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new MeshConfigException("tls.privateKey", path,
          "a PEM file with an unencrypted PKCS#8, PKCS#1 RSA or SEC1 EC private key; " + e.getMessage());
    }
  }

  private static void checkPair(PrivateKey key, X509Certificate certificate, String setting, @Nullable Path path, String expected) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
      default -> null; // RSASSA-PSS and others: left to the handshake
    };
    if (algorithm == null) {
      return;
    }
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another type than the certificate's: reported below
    }
    throw new MeshConfigException(setting, path, expected + " (" + CertificateNames.describe(certificate) + "); the key does not match it");
  }

  private static KeyStore store(byte[] bytes, String type, @Nullable String password, String setting, @Nullable Path path) {
    try {
      KeyStore store = KeyStore.getInstance(type);
      store.load(new ByteArrayInputStream(bytes), password == null ? null : password.toCharArray());
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new MeshConfigException(setting, path, "a readable " + type + " key store that opens with "
          + setting + "Password; " + e.getClass().getSimpleName());
    }
  }

  private static Map.Entry<PrivateKey, X509Certificate[]> keyEntry(KeyStore store, TlsPolicy policy) {
    List<String> keyAliases = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keyAliases.add(alias);
        }
      }
      if (keyAliases.size() == 1) {
        String password = policy.keyStorePassword();
        java.security.Key key = store.getKey(keyAliases.get(0), password == null ? new char[0] : password.toCharArray());
        Certificate[] chain = store.getCertificateChain(keyAliases.get(0));
        if (key instanceof PrivateKey && chain != null && chain.length > 0) {
          X509Certificate[] x509 = new X509Certificate[chain.length];
          for (int i = 0; i < chain.length; i++) {
            x509[i] = (X509Certificate) chain[i];
          }
          return Map.entry((PrivateKey) key, x509);
        }
      }
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new MeshConfigException("tls.keyStore", policy.keyStore(),
          "a key store whose key entry opens with tls.keyStorePassword; " + e.getClass().getSimpleName());
    }
    throw new MeshConfigException("tls.keyStore", policy.keyStore(),
        "a key store with exactly one private key entry and its certificate chain (found " + keyAliases.size() + " key entries)");
  }

  private static KeyStore inMemory(List<X509Certificate> authorities) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        store.setCertificateEntry("authority-" + i, authorities.get(i));
      }
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("an in-memory key store could not be made", e);
    }
  }

  private static X509ExtendedTrustManager pkix(@Nullable KeyStore anchors, TlsPolicy policy) {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(anchors);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager) {
          return (X509ExtendedTrustManager) manager;
        }
      }
      throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    } catch (GeneralSecurityException e) {
      String setting = policy.trustStore() != null ? "tls.trustStore" : "tls.trustBundle";
      throw new MeshConfigException(setting, policy.trustStore() != null ? policy.trustStore() : policy.trustBundle(),
          "at least one trusted certificate authority; " + e.getMessage());
    }
  }

  private static void putIfSet(Map<String, Path> files, String setting, @Nullable Path path) {
    if (path != null) {
      files.put(setting, path);
    }
  }

  @Override
  public String toString() {
    return "TlsMaterial{" + describeClientCertificate() + ", trust=" + trustDescription + "}";
  }
}
