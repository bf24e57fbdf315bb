package io.meshclient.api;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The root of the failures the mesh itself reports for a call to a service. It extends
 * {@link IOException}, so code that already catches OkHttp's I/O failures keeps working; catch a
 * subclass to react to one cause.
 *
 * <pre>{@code
 * try (Response response = client.newCall(request).execute()) {
 *   ...
 * } catch (CircuitOpenException e) {
 *   // every endpoint of e.service() is failing: serve a fallback
 * } catch (IOException e) {
 *   ...
 * }
 * }</pre>
 */
public class MeshException extends IOException {
  private final String service;

  /** A failure of a call to {@code service}. */
  public MeshException(String service, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.service = requireNonNull(service, "service");
  }

  /** The logical service the call was addressed to. */
  public String service() {
    return service;
  }
}
