package io.meshclient.core.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM text: certificates ({@code CERTIFICATE} blocks) and one private key, unencrypted
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC
 * ({@code EC PRIVATE KEY}). The two older forms are wrapped into PKCS#8, which is all the JDK reads.
 * Errors say what was wrong, never what the key holds.
 */
final class PemFiles {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final byte[] RSA_ENCRYPTION_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
  private static final byte[] NULL = {0x05, 0x00};
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  private PemFiles() {}

  /** Every certificate in {@code pem}, in order. */
  static List<X509Certificate> certificates(byte[] pem) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<X509Certificate> certificates = new ArrayList<>();
    Matcher block = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (block.find()) {
      if (block.group(1).equals("CERTIFICATE")) {
        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
        certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
      }
    }
    return certificates;
  }

  /**
   * The one private key in {@code pem}.
   *
   * @throws GeneralSecurityException with a message saying what is wrong with the file
   */
  static PrivateKey privateKey(byte[] pem) throws GeneralSecurityException {
    Matcher block = BLOCK.matcher(new String(pem, StandardCharsets.US_ASCII));
    while (block.find()) {
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      switch (block.group(1)) {
        case "PRIVATE KEY":
          return pkcs8(der);
        case "RSA PRIVATE KEY":
          return pkcs8(der(0x30, VERSION_0, der(0x30, RSA_ENCRYPTION_OID, NULL), der(0x04, der)));
        case "EC PRIVATE KEY":
          return pkcs8(der(0x30, VERSION_0, der(0x30, EC_PUBLIC_KEY_OID, curveOf(der)), der(0x04, der)));
        case "ENCRYPTED PRIVATE KEY":
          throw new GeneralSecurityException("the key is encrypted; an unencrypted key is needed");
        default:
          break; // certificates or parameters next to the key
      }
    }
    throw new GeneralSecurityException("no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "EdDSA", "RSASSA-PSS", "XDH"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new GeneralSecurityException("the key is not an RSA, EC or EdDSA key the JDK can read");
  }

  /** The named-curve OID (a whole TLV) in the {@code [0]} parameters of a SEC1 EC key. */
  private static byte[] curveOf(byte[] sec1) throws GeneralSecurityException {
    int[] pos = {0};
    if (readTag(sec1, pos) != 0x30) {
      throw new GeneralSecurityException("the EC PRIVATE KEY block is not a SEC1 structure");
    }
    int end = readLength(sec1, pos) + pos[0];
    while (pos[0] < end) {
      int tag = readTag(sec1, pos);
      int length = readLength(sec1, pos);
      if (tag == 0xa0) {
        byte[] oid = new byte[length];
        System.arraycopy(sec1, pos[0], oid, 0, length);
        return oid;
      }
      pos[0] += length;
    }
    throw new GeneralSecurityException("the EC PRIVATE KEY names no curve; use a PKCS#8 PRIVATE KEY");
  }

  private static int readTag(byte[] der, int[] pos) throws GeneralSecurityException {
    if (pos[0] >= der.length) {
      throw new GeneralSecurityException("the key's DER encoding is cut short");
    }
    return der[pos[0]++] & 0xff;
  }

  private static int readLength(byte[] der, int[] pos) throws GeneralSecurityException {
    int first = readTag(der, pos);
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | readTag(der, pos);
    }
    if (length < 0 || pos[0] + length > der.length) {
      throw new GeneralSecurityException("the key's DER encoding is cut short");
    }
    return length;
  }

  /** A DER TLV of {@code tag} around the concatenated {@code parts}. */
  private static byte[] der(int tag, byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      content.writeBytes(part);
    }
    int length = content.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content.toByteArray());
    return out.toByteArray();
  }
}
