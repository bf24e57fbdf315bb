package io.meshclient.discovery.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real {@link EtcdServer}: started on first use in a test class (on free loopback
 * ports, with a temp data dir) and stopped, its directory deleted, when the class is done. Tests
 * share it, so each uses its own key prefix.
 *
 * <pre>{@code
 * @ExtendWith(EtcdServerExtension.class)
 * class MyTest {
 *   @Test void works(EtcdServer etcd) { ... etcd.uri("/my-test") ... }
 * }
 * }</pre>
 *
 * <p>With no etcd binary it installs Debian's package when running as root, and otherwise fails
 * with a message naming the package: it never skips.
 */
public final class EtcdServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EtcdServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EtcdServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ExtensionContext classContext = context.getRoot() == context ? context : classContext(context);
    return classContext.getStore(NAMESPACE).getOrComputeIfAbsent("etcd", key -> start(), Running.class).server;
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  private static Running start() {
    try {
      return new Running(EtcdServer.start());
    } catch (java.io.IOException e) {
      throw new ParameterResolutionException("could not start etcd: " + e.getMessage(), e);
    }
  }

  /** Stops the server when the store that holds it closes. */
  private static final class Running implements AutoCloseable {
    final EtcdServer server;

    Running(EtcdServer server) {
      this.server = server;
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
