package io.meshclient.discovery.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program from a Debian package, for the tests and load scenarios that run the real thing (etcd,
 * nginx): found on the {@code PATH} or in an {@code sbin} directory; when missing and running as
 * root on a machine with apt-get, installed; otherwise refused with a message naming the package.
 *
 * <pre>{@code
 * String etcd = DebianPackage.binary("etcd", "etcd-server", "etcd-client");
 * }</pre>
 */
public final class DebianPackage {
  private DebianPackage() {}

  /**
   * The path of {@code program}, installing {@code packages} first if it is missing and allowed.
   *
   * @throws IOException if it is missing and could not be installed, naming the packages
   */
  public static String binary(String program, String... packages) throws IOException {
    String found = find(program);
    if (found != null) {
      return found;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root && find("apt-get") != null) {
      install(program, packages);
      found = find(program);
      if (found != null) {
        return found;
      }
    }
    String names = String.join(" ", packages);
    throw new IOException("no " + program + " binary on the PATH: install Debian's " + names + " package"
        + (packages.length > 1 ? "s" : "") + " (apt-get install -y --no-install-recommends " + names + ")"
        + (root ? "; installing it here failed" : "; not root, so not installed automatically"));
  }

  /** The path of {@code program} on the {@code PATH} or in an {@code sbin} directory, or {@code null}. */
  public static String find(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : (path + ":/usr/local/sbin:/usr/sbin:/sbin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private static void install(String program, String... packages) throws IOException {
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
    install.addAll(List.of(packages));
    run(install);
    if (find(program) == null) { // the package lists may be stale: refresh them and try once more
      run(List.of("apt-get", "update", "-q"));
      run(install);
    }
  }

  private static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + command, e);
    }
  }
}
