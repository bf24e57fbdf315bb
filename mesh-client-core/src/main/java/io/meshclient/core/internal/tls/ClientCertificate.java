package io.meshclient.core.internal.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * Presents the mesh's one client certificate whenever a server asks for one with a key type it
 * fits, whatever authorities the server lists: a mesh workload has exactly one identity, and a
 * server that will not accept it should say so rather than get no certificate at all.
 */
final class ClientCertificate extends X509ExtendedKeyManager {
  private static final String ALIAS = "mesh";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  ClientCertificate(PrivateKey key, X509Certificate[] chain) {
    this.key = key;
    this.chain = chain.clone();
  }

  @Override
  public @Nullable String chooseClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
    for (String keyType : keyTypes) {
      if (keyType.equals(key.getAlgorithm())) {
        return ALIAS;
      }
    }
    return null;
  }

  @Override
  public @Nullable String chooseEngineClientAlias(String[] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    return chooseClientAlias(keyTypes, issuers, null);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return keyType.equals(key.getAlgorithm()) ? new String[] {ALIAS} : new String[0];
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return null;
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String toString() {
    return "ClientCertificate{" + CertificateNames.describe(chain[0]) + "}";
  }
}
