package io.meshclient.examples;

import io.meshclient.api.AttemptEvent;
import io.meshclient.api.Endpoint;
import io.meshclient.api.MeshEventListener;
import io.meshclient.core.MeshSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The demo's {@link MeshEventListener}: counts every attempt the mesh makes, per endpoint, and
 * follows every change of each endpoint's breaker.
 *
 * <p>Breaker changes come from the mesh's own event rather than from a look at the table's
 * printing time: a half-open breaker lives just for its few trial calls, a few milliseconds, and a
 * once-a-second look would almost never see it.
 *
 * <p>Thread-safe; the mesh calls it from every caller thread at once.
 */
final class AttemptRecorder implements MeshEventListener {
  private final Map<String, EndpointCounters> byId = new ConcurrentHashMap<>();
  private final List<EndpointCounters> inOrder = new CopyOnWriteArrayList<>();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();

  /** Names the role of {@code endpoint}, so its row is labelled and listed in this order. */
  void register(Endpoint endpoint, String role) {
    counters(endpoint, role);
  }

  @Override
  public void onAttemptEnd(AttemptEvent event) {
    attempts.increment();
    if (event.attempt() > 0) {
      retries.increment();
    }
    EndpointCounters counters = counters(event.endpoint(), "?");
    counters.record(event.durationNanos(), event.failure() != null || event.statusCode() >= 500);
  }

  @Override
  public void onCircuitStateChange(String service, Endpoint endpoint, String from, String to) {
    counters(endpoint, "?").observeBreaker(from, to);
  }

  /** Every endpoint seen or registered, registered ones first. */
  List<EndpointCounters> endpoints() {
    return List.copyOf(inOrder);
  }

  /** Attempts made, retries included. */
  long attempts() {
    return attempts.sum();
  }

  /** Attempts after the first of their call. */
  long retries() {
    return retries.sum();
  }

  private EndpointCounters counters(Endpoint endpoint, String role) {
    return byId.computeIfAbsent(endpoint.id(), id -> {
      EndpointCounters created = new EndpointCounters(endpoint, role);
      inOrder.add(created);
      return created;
    });
  }

  /** The breaker state of one endpoint in {@code snapshot}, or {@code GONE} if discovery dropped it. */
  static String breakerState(MeshSnapshot snapshot, String service, String endpointId) {
    return snapshot.service(service).stream()
        .flatMap(s -> s.endpoints().stream())
        .filter(e -> e.endpoint().id().equals(endpointId))
        .map(MeshSnapshot.EndpointSnapshot::circuitState)
        .findFirst()
        .orElse("GONE");
  }
}
