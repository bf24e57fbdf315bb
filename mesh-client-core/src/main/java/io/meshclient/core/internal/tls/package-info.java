/**
 * TLS for mesh calls: PEM and key store material, the trust manager that checks a peer's
 * certificate and identity during the handshake, the per-service transport clients built on it,
 * and the reloader that swaps rotated material in. Not a public API.
 */
@NullMarked
package io.meshclient.core.internal.tls;

import org.jspecify.annotations.NullMarked;
