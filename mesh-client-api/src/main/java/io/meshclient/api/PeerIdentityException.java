package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The mesh refused an endpoint of a service because it could not prove who it is: its TLS
 * certificate names another identity, has expired or is not valid yet, is not signed by a trusted
 * authority, or the endpoint was not reached over TLS at all. Thrown before a byte of the request
 * is sent; the attempt counts as a failure of that endpoint, so the mesh may retry on another one.
 *
 * <p>The message names the endpoint, what was expected and what was presented, using only public
 * certificate data (subject alternative names, validity dates, issuer):
 *
 * <pre>{@code
 * peer 10.0.0.7:8443 of service 'orders' refused (IDENTITY_MISMATCH): expected URI SAN
 *     spiffe://prod.example/ns/shop/sa/orders, presented [URI:spiffe://prod.example/ns/shop/sa/billing]
 * }</pre>
 *
 * <pre>{@code
 * catch (PeerIdentityException e) {
 *   alert("endpoint " + e.address() + " of " + e.service() + ": " + e.reason());
 * }
 * }</pre>
 */
public final class PeerIdentityException extends MeshException {
  /** Why the peer was refused. */
  public enum Reason {
    /** The certificate is trusted and valid, but names another identity than the expected one. */
    IDENTITY_MISMATCH,
    /** A certificate in the peer's chain has expired. */
    EXPIRED,
    /** A certificate in the peer's chain is not valid yet. */
    NOT_YET_VALID,
    /** The peer's chain does not lead to a trusted authority. */
    UNTRUSTED,
    /** The endpoint is not marked secure, so it would be called over plain HTTP. */
    PLAINTEXT,
    /** The server did not ask for the client certificate although the mesh requires mutual TLS. */
    NO_CLIENT_AUTH
  }

  private final String address;
  private final Reason reason;
  private final String expected;
  private final String presented;

  /**
   * The endpoint at {@code address} of {@code service} was refused.
   *
   * @param service the logical service
   * @param address the endpoint's {@code host:port}
   * @param reason why it was refused
   * @param expected what the mesh expected, e.g. {@code URI SAN spiffe://prod.example/ns/shop/sa/orders}
   * @param presented what the peer presented (public certificate data only)
   * @param cause the TLS failure underneath, if any
   */
  public PeerIdentityException(String service, String address, Reason reason, String expected, String presented,
      @Nullable Throwable cause) {
    super(service, "peer " + address + " of service '" + service + "' refused (" + reason + "): expected "
        + expected + ", presented " + presented, cause);
    this.address = requireNonNull(address, "address");
    this.reason = requireNonNull(reason, "reason");
    this.expected = requireNonNull(expected, "expected");
    this.presented = requireNonNull(presented, "presented");
  }

  /** The refused endpoint's {@code host:port}. */
  public String address() {
    return address;
  }

  /** Why the endpoint was refused. */
  public Reason reason() {
    return reason;
  }

  /** What the mesh expected the peer to present. */
  public String expected() {
    return expected;
  }

  /** What the peer presented: subject alternative names, validity or issuer; never key material. */
  public String presented() {
    return presented;
  }
}
