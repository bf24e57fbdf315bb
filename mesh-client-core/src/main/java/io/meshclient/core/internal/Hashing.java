package io.meshclient.core.internal;

/**
 * 64-bit hashing for the consistent-hashing balancers: FNV-1a over a string's characters,
 * finished with the MurmurHash3 64-bit mixer so that nearby inputs land far apart, and a
 * mixer to derive any number of independent points from one hash.
 */
final class Hashing {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Hashing() {}

  static long hash(CharSequence s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** The {@code n}-th value derived from {@code seed}; distinct {@code n} give unrelated values. */
  static long derive(long seed, long n) {
    return mix(seed ^ (n * GOLDEN));
  }

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
