package io.meshclient.core;

import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The observability settings of a mesh, as the builder hands them to it.
 *
 * @param telemetry metrics and traces
 * @param accessLog whether to write the access log
 * @param recentDecisions how many pick decisions to keep per service
 * @param adminServer where the admin server listens, or {@code null} for none
 */
record Observability(List<MeshTelemetry> telemetry, boolean accessLog, int recentDecisions,
    @Nullable InetSocketAddress adminServer) {
  Observability {
    telemetry = List.copyOf(telemetry);
  }

  /** Nothing observed but the default recent decisions. */
  static Observability ofDefaults() {
    return new Observability(List.of(), false, MeshClientBuilder.DEFAULT_RECENT_DECISIONS, null);
  }
}
