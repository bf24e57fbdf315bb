package io.meshclient.discovery.etcd;

import io.meshclient.api.Endpoint;
import java.net.URI;

/**
 * A separate program for the end-to-end test: registers {@code host:port} as an endpoint of a
 * service in etcd, prints {@code REGISTERED}, and stays up until killed or its input closes.
 */
public final class RegisteringProcess {
  private RegisteringProcess() {}

  /** Arguments: etcd URI, service, host, port. */
  public static void main(String[] args) throws Exception {
    EtcdRegistration registry = EtcdRegistration.create(URI.create(args[0]));
    registry.register(args[1], Endpoint.of(args[2], Integer.parseInt(args[3])));
    System.out.println("REGISTERED");
    System.out.flush();
    while (System.in.read() != -1) {
      // wait until the test kills this process
    }
    registry.close();
  }
}
