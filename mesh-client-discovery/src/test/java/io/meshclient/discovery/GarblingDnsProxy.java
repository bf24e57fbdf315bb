package io.meshclient.discovery;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * A UDP relay in front of a DNS server that, when told to, answers every query with a malformed
 * message instead (the query's id, then bytes no DNS message has).
 */
final class GarblingDnsProxy implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress upstream;
  private final Thread thread;
  private volatile boolean garble;

  GarblingDnsProxy(InetSocketAddress upstream) throws IOException {
    this.upstream = upstream;
    this.socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
    this.thread = new Thread(this::run, "garbling-dns-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
  }

  void garble(boolean garble) {
    this.garble = garble;
  }

  private void run() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      try {
        DatagramPacket query = new DatagramPacket(buffer, buffer.length);
        socket.receive(query);
        byte[] answer = garble ? garbage(query) : relay(Arrays.copyOf(query.getData(), query.getLength()));
        if (answer != null) {
          socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
        }
      } catch (IOException e) {
        // closed, or one relay failed: the client times out and retries
      }
    }
  }

  private static byte[] garbage(DatagramPacket query) {
    byte[] answer = new byte[24];
    Arrays.fill(answer, (byte) 0xFF);
    answer[0] = query.getData()[0];
    answer[1] = query.getData()[1];
    return answer;
  }

  private byte[] relay(byte[] query) throws IOException {
    try (DatagramSocket out = new DatagramSocket()) {
      out.setSoTimeout(2_000);
      out.send(new DatagramPacket(query, query.length, upstream));
      byte[] buffer = new byte[4096];
      DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
      out.receive(answer);
      return Arrays.copyOf(answer.getData(), answer.getLength());
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
