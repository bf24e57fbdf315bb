package io.meshclient.core;

import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.Backends.requests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.AccessDeniedException;
import io.meshclient.api.AttemptEvent;
import io.meshclient.api.EgressPolicy;
import io.meshclient.api.EgressRule;
import io.meshclient.api.MeshEventListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Egress access control: refused before any network I/O, counted per rule, logged once per interval. */
class EgressTest {
  @RegisterExtension final Backends backends = new Backends();
  @RegisterExtension final LogCapture log = new LogCapture();

  private final MutableClock clock = new MutableClock();
  private final List<AttemptEvent> attempts = new CopyOnWriteArrayList<>();
  private MeshClient mesh;
  private WireMockServer orders;
  private WireMockServer users;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private OkHttpClient client(EgressPolicy egress) {
    orders = backends.ok("orders");
    users = backends.ok("users");
    mesh = MeshClient.builder()
        .clock(clock)
        .egress(egress)
        .eventListener(new MeshEventListener() {
          @Override
          public void onAttemptEnd(AttemptEvent event) {
            attempts.add(event);
          }
        })
        .service("orders", endpoint(orders))
        .service("users", endpoint(users))
        .build();
    return mesh.decorate(new OkHttpClient.Builder()).build();
  }

  private static int call(OkHttpClient client, String method, String url) throws Exception {
    RequestBody body = method.equals("GET") ? null : RequestBody.create("{}", MediaType.get("application/json"));
    try (Response response = client.newCall(new Request.Builder().url(url).method(method, body).build()).execute()) {
      return response.code();
    }
  }

  @Test
  void aDenyRuleRefusesTheCallBeforeAnyNetworkIo() throws Exception {
    OkHttpClient client = client(EgressPolicy.builder().deny("users").build());

    assertThatThrownBy(() -> call(client, "GET", "http://users/profile"))
        .isInstanceOf(AccessDeniedException.class)
        .hasMessage("access to service 'users' denied by rule 'deny:users'")
        .satisfies(e -> assertThat(((AccessDeniedException) e).rule()).isEqualTo("deny:users"));
    assertThat(call(client, "GET", "http://orders/items")).isEqualTo(200);

    assertThat(requests(users)).isZero();
    assertThat(attempts).extracting(AttemptEvent::service).containsExactly("orders");
    assertThat(mesh.snapshot().egress().denied()).isEqualTo(1);
    assertThat(mesh.snapshot().egress().deniedByRule()).isEqualTo(Map.of("deny:users", 1L));
  }

  @Test
  void defaultDenyLetsOnlyAllowedServicesMethodsAndHostsThrough() throws Exception {
    OkHttpClient client = client(EgressPolicy.builder()
        .defaultAction(EgressRule.Action.DENY)
        .allow("orders")
        .rule(EgressRule.allow("users").methods("GET").paths("/profile/*").name("read-profiles").build())
        .build());
    String outside = "http://127.0.0.1:" + orders.port() + "/direct";

    assertThat(call(client, "POST", "http://orders/items")).isEqualTo(200);
    assertThat(call(client, "GET", "http://users/profile/7")).isEqualTo(200);
    assertThatThrownBy(() -> call(client, "POST", "http://users/profile/7")).hasMessageEndingWith("rule 'default-deny'");
    assertThatThrownBy(() -> call(client, "GET", "http://users/admin")).isInstanceOf(AccessDeniedException.class);
    assertThatThrownBy(() -> call(client, "GET", outside))
        .as("a host outside the mesh needs an allow rule too")
        .isInstanceOf(AccessDeniedException.class)
        .satisfies(e -> assertThat(((AccessDeniedException) e).service()).isEqualTo("127.0.0.1"));

    assertThat(requests(users)).isEqualTo(1);
    assertThat(requests(orders)).isEqualTo(1);
    assertThat(mesh.snapshot().egress().deniedByRule()).isEqualTo(Map.of("default-deny", 3L));
  }

  @Test
  void aHostOutsideTheMeshPassesWhenAllowed() throws Exception {
    OkHttpClient client = client(EgressPolicy.builder().defaultAction(EgressRule.Action.DENY).allow("127.0.0.1").build());

    assertThat(call(client, "GET", "http://127.0.0.1:" + orders.port() + "/direct")).isEqualTo(200);
    assertThatThrownBy(() -> call(client, "GET", "http://orders/items")).isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void eachRuleLogsAtMostOncePerIntervalAndSaysHowManyItSkipped() {
    OkHttpClient client = client(EgressPolicy.builder().deny("users").deny("orders").logInterval(Duration.ofMinutes(1)).build());

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> call(client, "GET", "http://users/a")).isInstanceOf(AccessDeniedException.class);
    }
    assertThatThrownBy(() -> call(client, "GET", "http://orders/a")).isInstanceOf(AccessDeniedException.class);
    assertThat(log.lines("by rule 'deny:users'")).isEqualTo(1);
    assertThat(log.lines("by rule 'deny:orders'")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(59));
    assertThatThrownBy(() -> call(client, "GET", "http://users/a")).isInstanceOf(AccessDeniedException.class);
    assertThat(log.lines("by rule 'deny:users'")).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(() -> call(client, "GET", "http://users/a")).isInstanceOf(AccessDeniedException.class);
    assertThat(log.lines("by rule 'deny:users'")).isEqualTo(2);
    assertThat(log.text()).contains("egress: denied GET http://users/a by rule 'deny:users' (and 5 more call(s) by this rule since the last report)");
    assertThat(mesh.snapshot().egress().deniedByRule()).isEqualTo(Map.of("deny:users", 7L, "deny:orders", 1L));
  }
}
