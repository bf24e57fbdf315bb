package io.meshclient.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which of a cluster's endpoints take traffic right now, worked out once per change (discovery
 * update, ejection, readmission, health change) so a pick only reads it: the healthy endpoints
 * split into the caller's zone and the others, with the share of traffic that stays local; or,
 * in panic mode, all endpoints.
 *
 * <p>Zone rule: traffic stays in the caller's zone in proportion to that zone's healthy
 * capacity (healthy weight ÷ total weight there); the rest spills to the other zones. With no
 * healthy endpoint elsewhere, everything stays local; with none locally, everything spills.
 *
 * @param all every endpoint, in discovery order
 * @param local the endpoints to prefer (the caller's zone, or all healthy ones when zones do not apply)
 * @param remote the healthy endpoints in other zones; empty when zones do not apply
 * @param localShare the share of picks drawn from {@code local}, 0..1
 * @param panic whether too few endpoints are healthy, so all of them are used
 * @param nextReturn the ticker time of the earliest readmission, or {@link EndpointState#NONE}
 */
record Pool(List<EndpointState> all, List<EndpointState> local, List<EndpointState> remote,
    double localShare, boolean panic, long nextReturn) {
  static final Pool EMPTY = new Pool(List.of(), List.of(), List.of(), 1, false, EndpointState.NONE);

  static Pool of(List<EndpointState> all, long now, int panicThresholdPercent, @Nullable String zone) {
    List<EndpointState> healthy = new ArrayList<>(all.size());
    long nextReturn = EndpointState.NONE;
    for (EndpointState e : all) {
      if (e.ejectedAt(now)) {
        long until = e.ejectedUntil;
        nextReturn = nextReturn == EndpointState.NONE || until - nextReturn < 0 ? until : nextReturn;
      } else if (e.healthy()) {
        healthy.add(e);
      }
    }
    boolean panic = !all.isEmpty()
        && (healthy.isEmpty() || (long) healthy.size() * 100 < (long) panicThresholdPercent * all.size());
    if (panic) {
      return new Pool(all, all, List.of(), 1, true, nextReturn);
    }
    if (zone == null || healthy.size() == all.size() && all.stream().allMatch(e -> zone.equals(e.endpoint().zone()))) {
      return new Pool(all, List.copyOf(healthy), List.of(), 1, false, nextReturn);
    }
    List<EndpointState> local = new ArrayList<>();
    List<EndpointState> remote = new ArrayList<>();
    double localWeight = 0;
    double localHealthyWeight = 0;
    for (EndpointState e : all) {
      if (zone.equals(e.endpoint().zone())) {
        localWeight += e.endpoint().weight();
      }
    }
    for (EndpointState e : healthy) {
      if (zone.equals(e.endpoint().zone())) {
        local.add(e);
        localHealthyWeight += e.endpoint().weight();
      } else {
        remote.add(e);
      }
    }
    if (local.isEmpty()) {
      return new Pool(all, List.copyOf(remote), List.of(), 1, false, nextReturn); // nothing local: all spills
    }
    double share = remote.isEmpty() ? 1 : localHealthyWeight / localWeight;
    return new Pool(all, List.copyOf(local), List.copyOf(remote), share, false, nextReturn);
  }

  /** Whether zones split this pool's traffic. */
  boolean zoned() {
    return !remote.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(all);
  }
}
