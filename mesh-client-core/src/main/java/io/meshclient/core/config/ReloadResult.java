package io.meshclient.core.config;

import java.util.List;

/**
 * What a reload did ({@code MeshClient.reload}): the changes {@linkplain #applied() applied}, the
 * changes {@linkplain #refused() refused} because they cannot be applied to a running mesh (each
 * naming the field and why), and the {@linkplain #config() configuration now in force}.
 *
 * <p>Immutable.
 */
public final class ReloadResult {
  private final List<String> applied;
  private final List<String> refused;
  private final MeshConfig config;

  /**
   * Creates a result.
   *
   * @param applied one line per change applied, e.g. {@code services.orders: policy}
   * @param refused one line per change refused, naming the field and why
   * @param config the configuration in force after the reload
   */
  public ReloadResult(List<String> applied, List<String> refused, MeshConfig config) {
    this.applied = List.copyOf(applied);
    this.refused = List.copyOf(refused);
    this.config = config;
  }

  /** The changes applied, one line each; empty if nothing changed. */
  public List<String> applied() {
    return applied;
  }

  /** The changes refused, one line each, naming the field and why. */
  public List<String> refused() {
    return refused;
  }

  /** The configuration in force now: the new one, less what was refused. */
  public MeshConfig config() {
    return config;
  }

  @Override
  public String toString() {
    return "ReloadResult{applied=" + applied + ", refused=" + refused + "}";
  }
}
