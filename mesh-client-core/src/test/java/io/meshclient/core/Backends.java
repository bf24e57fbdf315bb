package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.meshclient.api.Endpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Loopback WireMock instances for one test, stopped after it. */
final class Backends implements AfterEachCallback {
  private final List<WireMockServer> servers = new ArrayList<>();

  /** A server on 127.0.0.1, a free port, answering every request with {@code response}. */
  WireMockServer start(ResponseDefinitionBuilder response) {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(response));
    servers.add(server);
    return server;
  }

  /** A server answering 200 with body {@code name}. */
  WireMockServer ok(String name) {
    return start(aResponse().withStatus(200).withBody(name));
  }

  static Endpoint endpoint(WireMockServer server) {
    return Endpoint.of("127.0.0.1", server.port());
  }

  static int requests(WireMockServer server) {
    return server.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
  }

  /** An endpoint on a port nothing listens on: connections are refused. */
  static Endpoint refusing() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return Endpoint.of("127.0.0.1", socket.getLocalPort());
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    servers.forEach(WireMockServer::stop);
    servers.clear();
  }
}
