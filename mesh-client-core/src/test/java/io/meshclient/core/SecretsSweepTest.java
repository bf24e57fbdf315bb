package io.meshclient.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.meshclient.core.Backends.endpoint;
import static io.meshclient.core.TlsBackends.secure;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.meshclient.api.AttemptEvent;
import io.meshclient.api.EgressPolicy;
import io.meshclient.api.EgressRule;
import io.meshclient.api.MeshEventListener;
import io.meshclient.api.PeerIdentity;
import io.meshclient.api.Redaction;
import io.meshclient.api.RetryPolicy;
import io.meshclient.api.TlsPolicy;
import io.meshclient.core.internal.AccessLog;
import io.meshclient.core.metrics.MeshMetrics;
import io.meshclient.core.tracing.MeshTracing;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockWebServer;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants one secret in every place a caller puts credentials — Authorization, Proxy-Authorization,
 * Cookie, a configured header, a configured query parameter, the URL's password, the key store
 * password — drives calls down every path that logs or throws, with the access log, metrics and
 * traces on, and sweeps every output for it: log lines, span attributes and events, exception
 * messages, metric tags, the snapshot, and the calls a callback hears of.
 */
class SecretsSweepTest {
  private static final String SECRET = "s3cr3t-" + UUID.randomUUID();

  @RegisterExtension final Backends backends = new Backends();
  @RegisterExtension final TlsBackends tlsBackends = new TlsBackends();
  @RegisterExtension final LogCapture log = new LogCapture();
  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();
  @TempDir Path dir;

  @Test
  void noOutputEverShowsAPlantedSecret() throws Exception {
    WireMockServer failing = backends.start(aResponse().withStatus(503));
    MockWebServer impostor = tlsBackends.start(tlsBackends.serverCa.issue("impostor", "IP:127.0.0.1",
        "URI:spiffe://test.example/ns/shop/sa/impostor"), "require");
    TlsPolicy tls = TlsPolicy.builder().keyStore(keyStore(), SECRET).trustBundle(trustBundle()).build();
    List<Object> outputs = new ArrayList<>();
    List<AttemptEvent> events = new CopyOnWriteArrayList<>();
    io.meshclient.api.Endpoint refusing = Backends.refusing();
    RetryPolicy fast = RetryPolicy.builder().initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (MeshClient mesh = MeshClient.builder()
        .tls(tls)
        .accessLog(true)
        .telemetry(MeshMetrics.builder(registry).endpointTag(true).build())
        .telemetry(MeshTracing.of(otel.getOpenTelemetry()))
        .redaction(Redaction.builder().headers("X-Api-Key").queryParameters("token").build())
        .egress(EgressPolicy.builder().rule(EgressRule.deny("payments").name("no-payments").build()).logInterval(Duration.ZERO).build())
        .eventListener(new MeshEventListener() {
          @Override
          public void onAttemptEnd(AttemptEvent event) {
            events.add(event);
          }
        })
        .service("orders", s -> s.endpoints(endpoint(failing)).retry(fast))
        .service("billing", s -> s.endpoints(refusing).retry(fast))
        .service("payments", s -> s.endpoints(endpoint(failing)))
        .service("identity", s -> s.endpoints(secure(impostor)).retry(fast)
            .peerIdentity(PeerIdentity.spiffeId("spiffe://test.example/ns/shop/sa/identity")))
        .build()) {
      OkHttpClient client = mesh.decorate(new OkHttpClient.Builder()).build();
      for (String service : List.of("orders", "billing", "payments", "identity")) {
        Request request = new Request.Builder()
            .url("http://frontend:" + SECRET + "@" + service + "/v1/items?token=" + SECRET + "&page=2")
            .header("Authorization", "Bearer " + SECRET)
            .header("Proxy-Authorization", "Basic " + SECRET)
            .header("Cookie", "session=" + SECRET)
            .header("X-Api-Key", SECRET)
            .build();
        try (Response response = client.newCall(request).execute()) {
          outputs.add(response.code());
        } catch (Exception e) {
          collect(e, outputs, new IdentityHashMap<>());
        }
        // The mesh's own client, asynchronously: the call a callback hears of, as it would log it.
        okhttp3.Call call = mesh.httpClient().newCall(request);
        outputs.add(call);
        CompletableFuture<okhttp3.Call> heard = new CompletableFuture<>();
        call.enqueue(new Callback() {
          @Override
          public void onFailure(okhttp3.Call c, IOException e) {
            collect(e, outputs, new IdentityHashMap<>());
            heard.complete(c);
          }

          @Override
          public void onResponse(okhttp3.Call c, Response response) {
            response.close();
            heard.complete(c);
          }
        });
        outputs.add(heard.get(30, TimeUnit.SECONDS));
      }
      // Read while the mesh is open: closing it removes its meters.
      assertThat(registry.find("http.client.request.duration").timers()).as("the sweep covered the metrics").isNotEmpty();
      for (Meter meter : registry.getMeters()) {
        outputs.add(meter.getId());
        meter.getId().getTags().forEach(tag -> outputs.add(tag.getValue()));
      }
      outputs.add(mesh.snapshot());
      outputs.add(mesh);
      outputs.addAll(events);
      events.forEach(event -> collect(event.failure(), outputs, new IdentityHashMap<>()));
    }
    outputs.add(tls);
    outputs.add(log.text());
    for (SpanData span : otel.getSpans()) {
      outputs.add(span.getName());
      outputs.add(span.getStatus().getDescription());
      span.getAttributes().forEach((key, value) -> outputs.add(value));
      for (EventData event : span.getEvents()) {
        event.getAttributes().forEach((key, value) -> outputs.add(value));
      }
    }

    assertThat(log.text()).as("the sweep covered logging").contains("egress: denied GET http://REDACTED:REDACTED@payments/v1/items?token=REDACTED");
    assertThat(log.text()).as("the sweep covered the access log").contains(AccessLog.LOGGER);
    assertThat(otel.getSpans()).as("the sweep covered the traces")
        .anySatisfy(span -> assertThat(span.getEvents()).extracting(EventData::getName).contains("exception"));
    assertThat(outputs).as("the sweep covered every kind of failure").hasSizeGreaterThan(10);
    for (Object output : outputs) {
      assertThat(String.valueOf(output)).as("an output").doesNotContain(SECRET);
    }
  }

  /** Every message and description in a failure, its causes and what it suppressed. */
  private static void collect(Throwable failure, List<Object> outputs, Map<Throwable, Boolean> seen) {
    if (failure == null || seen.put(failure, true) != null) {
      return;
    }
    outputs.add(failure.toString());
    outputs.add(failure.getMessage());
    outputs.add(failure.getLocalizedMessage());
    collect(failure.getCause(), outputs, seen);
    for (Throwable suppressed : failure.getSuppressed()) {
      collect(suppressed, outputs, seen);
    }
  }

  private Path keyStore() throws Exception {
    var client = tlsBackends.clientCa.issue("frontend", "URI:" + TlsBackends.CLIENT_ID);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", client.keyPair().getPrivate(), SECRET.toCharArray(), new X509Certificate[] {client.certificate()});
    Path file = dir.resolve("client.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, SECRET.toCharArray());
    }
    return file;
  }

  private Path trustBundle() {
    Path file = dir.resolve("ca.pem");
    io.meshclient.core.internal.tls.TestPki.write(file, tlsBackends.serverCa.certificatePem());
    return file;
  }
}
