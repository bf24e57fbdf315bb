package io.meshclient.discovery.internal;

import io.meshclient.api.MeshConfigException;

/**
 * Checks that a library a source needs, declared optional in this module, is on the class path,
 * so a missing one fails with the artifact to add instead of a {@link NoClassDefFoundError}.
 */
public final class OptionalLibrary {
  private OptionalLibrary() {}

  /** Whether {@code className} can be loaded by this module's class loader. */
  public static boolean present(String className) {
    try {
      Class.forName(className, false, OptionalLibrary.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Fails unless {@code className} is on the class path.
   *
   * @param artifact {@code groupId:artifactId} to add
   * @param uri the URI that asked for the source
   * @throws MeshConfigException at path {@code discovery}, naming the artifact
   */
  public static void require(String className, String artifact, String uri) {
    if (!present(className)) {
      throw new MeshConfigException("discovery", uri,
          artifact + " on the class path: this source needs it; add it next to io.meshclient:mesh-client-discovery");
    }
  }
}
