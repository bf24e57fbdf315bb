package io.meshclient.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page in a real headless browser: its script fetches {@code /clusters} and renders the
 * endpoints and recent decisions of the live mesh. Skipped, with a message, where no Chromium is
 * installed ({@code .ci/run} installs Debian's {@code chromium}).
 */
class AdminPageBrowserTest {
  @RegisterExtension
  final Backends backends = new Backends();

  @TempDir
  Path profile;

  @Test
  void thePageShowsTheLiveEndpointsAndDecisions() throws Exception {
    Optional<String> chromium = findOnPath("chromium", "chromium-browser", "google-chrome");
    Assumptions.assumeTrue(chromium.isPresent(),
        "no chromium on PATH: skipping the admin page browser check (apt-get install chromium)");
    WireMockServer slow = backends.ok("slow");
    WireMockServer fast = backends.ok("fast");
    try (MeshClient mesh = MeshClient.builder()
        .adminServer(0)
        .service("orders", Backends.endpoint(slow), Backends.endpoint(fast))
        .build()) {
      mesh.httpClient().newCall(new Request.Builder().url("http://orders/a").build()).execute().close();
      String url = "http://127.0.0.1:" + mesh.adminAddress().orElseThrow().getPort() + "/";

      String dom = dumpDom(chromium.get(), url);

      // Rendered by the page's script from /clusters: none of it is in the HTML the server sends.
      assertThat(dom).contains("data-service=\"orders\"")
          .contains("data-endpoint=\"127.0.0.1:" + slow.port() + "\"")
          .contains("data-endpoint=\"127.0.0.1:" + fast.port() + "\"")
          .contains("<table class=\"decisions\">")
          .contains("CLOSED")
          .contains("updated ")
          .contains("<span id=\"error\"></span>");
      String chosen = mesh.snapshot().service("orders").orElseThrow().decisions().get(0).chosen();
      assertThat(dom).contains("<td>" + chosen + " (");
    }
  }

  private String dumpDom(String chromium, String url) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile, "--no-first-run", "--virtual-time-budget=5000", "--dump-dom", url));
    Path out = profile.resolve("dom.html");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("chromium finished within 90 s").isTrue();
    } finally {
      process.destroyForcibly();
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  static Optional<String> findOnPath(String... names) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : names) {
      for (String dir : path.split(File.pathSeparator)) {
        File candidate = new File(dir, name);
        if (candidate.isFile() && candidate.canExecute()) {
          return Optional.of(candidate.getAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }
}
