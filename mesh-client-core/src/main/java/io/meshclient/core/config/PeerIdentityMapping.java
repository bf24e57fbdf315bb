package io.meshclient.core.config;

import io.meshclient.api.PeerIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code services.<name>.peerIdentity}: lists of {@code dnsNames}, {@code uris}, {@code spiffeIds}
 * and {@code patterns}; a peer proving any one of them is accepted ({@link PeerIdentity#or}).
 */
final class PeerIdentityMapping {
  static final Fields<List<PeerIdentity>> FIELDS = new Fields<List<PeerIdentity>>()
      .field("dnsNames", (ids, v) -> each(ids, v, PeerIdentity::dnsName))
      .field("uris", (ids, v) -> each(ids, v, PeerIdentity::uri))
      .field("spiffeIds", (ids, v) -> each(ids, v, PeerIdentity::spiffeId))
      .field("patterns", (ids, v) -> each(ids, v, PeerIdentity::pattern));

  private PeerIdentityMapping() {}

  static PeerIdentity read(Node node) {
    return FIELDS.read(node, new ArrayList<>(), ids -> {
      @Nullable PeerIdentity all = null;
      for (PeerIdentity id : ids) {
        all = all == null ? id : all.or(id);
      }
      if (all == null) {
        throw node.bad("at least one of dnsNames, uris, spiffeIds or patterns");
      }
      return all;
    });
  }

  private static void each(List<PeerIdentity> ids, Node list, Function<String, PeerIdentity> factory) {
    for (Node item : list.list()) {
      try {
        ids.add(factory.apply(item.text()));
      } catch (io.meshclient.api.MeshConfigException e) {
        io.meshclient.api.MeshConfigException at =
            new io.meshclient.api.MeshConfigException(item.path, e.value(), e.expected());
        at.initCause(e);
        throw at;
      }
    }
  }
}
