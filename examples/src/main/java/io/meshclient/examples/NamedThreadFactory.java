package io.meshclient.examples;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Non-daemon threads named {@code mesh-demo-<name>-1}, {@code mesh-demo-<name>-2}, ...: a thread
 * left running would keep the JVM alive, and its name says who forgot to stop it.
 */
final class NamedThreadFactory implements ThreadFactory {
  /** Every thread the demo starts has a name that begins with this. */
  static final String PREFIX = "mesh-demo-";

  private final String prefix;
  private final AtomicInteger next = new AtomicInteger(1);

  NamedThreadFactory(String name) {
    this.prefix = PREFIX + name;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + next.getAndIncrement());
    thread.setDaemon(false);
    return thread;
  }
}
