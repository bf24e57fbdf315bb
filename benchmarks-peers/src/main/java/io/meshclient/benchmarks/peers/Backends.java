package io.meshclient.benchmarks.peers;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The four backends every contender calls, controlled from the harness: their ports, their latency,
 * and one of them dying and coming back.
 *
 * <p>{@link #inProcess} runs them in this JVM (the tests); {@link #childProcess} runs them in a
 * JVM of their own, so the harness's process CPU is the client's alone (the benchmark). The child
 * is this class's {@link #main}, driven by one command per line on its standard input.
 */
interface Backends extends AutoCloseable {
  /** The ports of the backends, by index, on 127.0.0.1. */
  List<Integer> ports();

  /** Sets backend {@code index}'s latency from now on. */
  void delay(int index, Duration delay);

  /** Makes backend {@code index} answer a share {@code share} (0 to 1) of requests {@code 503}. */
  void failures(int index, double share);

  /** Kills backend {@code index} (see {@link Backend#kill()}). */
  void kill(int index);

  /** Brings backend {@code index} back on its port. */
  void revive(int index);

  /** Sets every backend's latency, stops their failures and brings every dead one back. */
  default void reset(Duration delay) {
    for (int i = 0; i < ports().size(); i++) {
      revive(i);
      delay(i, delay);
      failures(i, 0);
    }
  }

  @Override
  void close();

  /** {@code count} backends in this JVM. */
  static Backends inProcess(int count) throws IOException {
    List<Backend> backends = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        backends.add(Backend.start(i));
      }
    } catch (IOException | RuntimeException e) {
      backends.forEach(Backend::close);
      throw e;
    }
    return new InProcess(backends);
  }

  /** {@code count} backends in a child JVM started on this JVM's class path. */
  static Backends childProcess(int count) throws IOException {
    return ChildProcess.start(count);
  }

  /**
   * The child JVM: starts {@code args[0]} backends, prints {@code ports p0 p1 ...}, then obeys
   * {@code delay <index> <nanos>}, {@code fail <index> <share>}, {@code kill <index>},
   * {@code revive <index>} and {@code quit},
   * answering each with {@code ok} or {@code error <why>}. It exits when its input ends, so it never
   * outlives the harness.
   */
  static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, true, UTF_8);
    try (InProcess backends = (InProcess) inProcess(Integer.parseInt(args[0]))) {
      StringBuilder ports = new StringBuilder("ports");
      backends.ports().forEach(p -> ports.append(' ').append(p));
      out.println(ports);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
      for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
        try {
          String[] words = line.trim().split(" ");
          int index = Integer.parseInt(words[1]);
          switch (words[0]) {
            case "delay" -> backends.delay(index, Duration.ofNanos(Long.parseLong(words[2])));
            case "fail" -> backends.failures(index, Double.parseDouble(words[2]));
            case "kill" -> backends.kill(index);
            case "revive" -> backends.revive(index);
            default -> throw new IllegalArgumentException("unknown command: " + line);
          }
          out.println("ok");
        } catch (RuntimeException e) {
          out.println("error " + e);
        }
      }
    }
  }

  /** Backends in this JVM. */
  final class InProcess implements Backends {
    private final List<Backend> backends;

    InProcess(List<Backend> backends) {
      this.backends = List.copyOf(backends);
    }

    @Override
    public List<Integer> ports() {
      return backends.stream().map(Backend::port).toList();
    }

    @Override
    public void delay(int index, Duration delay) {
      backends.get(index).delay(delay.toNanos());
    }

    @Override
    public void failures(int index, double share) {
      backends.get(index).failures(share);
    }

    @Override
    public void kill(int index) {
      backends.get(index).kill();
    }

    @Override
    public void revive(int index) {
      try {
        backends.get(index).revive();
      } catch (IOException e) {
        throw new UncheckedIOException("reviving backend " + index, e);
      }
    }

    /** Requests backend {@code index} answered, ever. */
    long served(int index) {
      return backends.get(index).served();
    }

    @Override
    public void close() {
      backends.forEach(Backend::close);
    }
  }

  /** Backends in a child JVM, driven through its standard input. */
  final class ChildProcess implements Backends {
    private static final Duration STOP = Duration.ofSeconds(30);

    private final Process process;
    private final Writer commands;
    private final BufferedReader answers;
    private final List<Integer> ports;

    private ChildProcess(Process process, List<Integer> ports) {
      this.process = process;
      this.commands = process.outputWriter(UTF_8);
      this.answers = process.inputReader(UTF_8);
      this.ports = ports;
    }

    static ChildProcess start(int count) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xms128m", "-Xmx256m", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), Backends.class.getName(), Integer.toString(count))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try {
        String first = process.inputReader(UTF_8).readLine();
        if (first == null || !first.startsWith("ports ")) {
          throw new IOException("the backends' JVM did not start: it printed " + first);
        }
        List<Integer> ports = new ArrayList<>();
        for (String port : first.substring("ports ".length()).split(" ")) {
          ports.add(Integer.parseInt(port));
        }
        return new ChildProcess(process, ports);
      } catch (IOException | RuntimeException e) {
        process.destroyForcibly();
        throw e;
      }
    }

    @Override
    public List<Integer> ports() {
      return ports;
    }

    @Override
    public void delay(int index, Duration delay) {
      command("delay " + index + " " + delay.toNanos());
    }

    @Override
    public void failures(int index, double share) {
      command("fail " + index + " " + share);
    }

    @Override
    public void kill(int index) {
      command("kill " + index);
    }

    @Override
    public void revive(int index) {
      command("revive " + index);
    }

    private synchronized void command(String command) {
      try {
        commands.write(command + "\n");
        commands.flush();
        String answer = answers.readLine();
        if (!"ok".equals(answer)) {
          throw new IllegalStateException("backends refused '" + command + "': " + answer);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("backends: " + command, e);
      }
    }

    @Override
    public synchronized void close() {
      try {
        commands.write("quit\n");
        commands.flush();
      } catch (IOException e) {
        // Already gone.
      }
      try {
        if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
