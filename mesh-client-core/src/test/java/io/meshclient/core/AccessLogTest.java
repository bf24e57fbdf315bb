package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.Destination;
import io.meshclient.api.Endpoint;
import io.meshclient.api.Redaction;
import io.meshclient.api.Route;
import io.meshclient.api.RouteMatch;
import io.meshclient.api.StringMatch;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.ServicePolicy;
import io.meshclient.core.internal.AccessLog;
import io.meshclient.core.internal.CallObserver;
import io.meshclient.core.internal.Cluster;
import io.meshclient.core.internal.LoadBalancerRegistry;
import io.meshclient.core.internal.Ticker;
import java.time.Clock;
import java.util.List;
import java.io.IOException;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One line per logical call, with secrets redacted. */
class AccessLogTest {
  @RegisterExtension
  final Backends backends = new Backends();

  @RegisterExtension
  final LogCapture log = new LogCapture();

  @Test
  void oneLinePerCallWithItsFieldsAndNoSecrets() throws IOException {
    WireMockServer server = backends.ok("ok");
    try (MeshClient mesh = MeshClient.builder()
        .accessLog(true)
        .redaction(Redaction.builder().queryParameters("token").headers("X-Api-Key").build())
        .service("orders", Backends.endpoint(server))
        .build()) {
      Request request = new Request.Builder().url("http://user:hunter2@orders/orders/42?token=s3cret&page=2")
          .header("Authorization", "Bearer t0ps3cret").header("Cookie", "session=c00kie").header("X-Api-Key", "k3y")
          .build();
      try (Response response = mesh.httpClient().newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
    }
    assertThat(log.lines(AccessLog.LOGGER)).isEqualTo(1);
    String line = log.text().lines().filter(l -> l.contains(AccessLog.LOGGER)).findFirst().orElseThrow();
    assertThat(line)
        .contains("orders GET /orders/42?token=REDACTED&page=2 -> 200 in ")
        .contains("1 attempt(s), last to 127.0.0.1:" + server.port());
    assertThat(log.text()).doesNotContain("s3cret", "t0ps3cret", "c00kie", "k3y", "hunter2");
  }

  @Test
  void aRoutedCallIsLoggedWithTheRouteItTook() throws IOException {
    WireMockServer v1 = backends.ok("v1");
    WireMockServer v2 = backends.ok("v2");
    try (MeshClient mesh = MeshClient.builder()
        .accessLog(true)
        .service("orders", s -> s
            .endpoints(Endpoint.builder("127.0.0.1", v1.port()).label("version", "v1").build(),
                Endpoint.builder("127.0.0.1", v2.port()).label("version", "v2").build())
            .route(Route.builder("beta")
                .match(RouteMatch.builder().header("x-user-group", StringMatch.exact("beta")).build())
                .destination(Destination.subset("version", "v2"))
                .build()))
        .build()) {
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/beta").header("x-user-group", "beta").build())
          .execute().close();
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/plain").build()).execute().close();
    }
    List<String> lines = log.text().lines().filter(l -> l.contains(AccessLog.LOGGER)).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).contains("route=beta").contains("orders GET /beta -> 200 in ")
        .contains("last to 127.0.0.1:" + v2.port());
    assertThat(lines.get(1)).contains("route=-").contains("orders GET /plain -> 200 in ");
  }

  @Test
  void aFailedCallIsLoggedWithItsOutcomeAndError() {
    try (MeshClient mesh = MeshClient.builder()
        .accessLog(true)
        .service("orders", s -> s.endpoints(refusing()).retry(RetryPolicy.disabled()))
        .build()) {
      assertThatThrownBy(() -> mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).execute())
          .isInstanceOf(IOException.class);
    }
    String line = log.text().lines().filter(l -> l.contains(AccessLog.LOGGER)).findFirst().orElseThrow();
    assertThat(line).contains("orders GET /a -> IO_ERROR in ").contains("java.net.ConnectException");
  }

  @Test
  void aCallAdmissionRefusedSaysWhoRefusedIt() {
    ServicePolicy policy = ServicePolicy.ofDefaults();
    Cluster cluster = new Cluster("orders", policy,
        LoadBalancerRegistry.factories(List.of()).get("round_robin").create("orders", policy.loadBalancing()),
        Clock.systemUTC(), MeshEventListener.NONE, null);
    CallObserver.Call call = new AccessLog(Redaction.ofDefaults(), Ticker.SYSTEM)
        .start(cluster, new Request.Builder().url("http://orders/a").build(), null);
    call.rejected("bulkhead");
    call.end(null, new IOException("bulkhead full"), 0, null);

    String line = log.text().lines().filter(l -> l.contains(AccessLog.LOGGER)).findFirst().orElseThrow();
    assertThat(line).contains("rejected_by=bulkhead").contains("orders GET /a -> REJECTED in ")
        .contains("0 attempt(s), last to -");
  }

  @Test
  void offByDefault() throws IOException {
    WireMockServer server = backends.ok("ok");
    try (MeshClient mesh = MeshClient.builder().service("orders", Backends.endpoint(server)).build()) {
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).execute().close();
    }
    assertThat(log.lines(AccessLog.LOGGER)).isZero();
  }

  @Test
  void urlsInsideMessagesAreRedacted() {
    Redaction redaction = Redaction.builder().queryParameters("token").build();
    assertThat(AccessLog.redactText(redaction, "unexpected end of stream on https://u:p@api.example.com/v1?token=abc&x=1 (retry)"))
        .isEqualTo("unexpected end of stream on https://REDACTED:REDACTED@api.example.com/v1?token=REDACTED&x=1 (retry)");
    assertThat(AccessLog.redactText(redaction, "no url here")).isEqualTo("no url here");
  }

  private static io.meshclient.api.Endpoint refusing() {
    try {
      return Backends.refusing();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
