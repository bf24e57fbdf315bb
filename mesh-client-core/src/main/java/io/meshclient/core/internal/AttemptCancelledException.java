package io.meshclient.core.internal;

import java.io.IOException;

/**
 * How an attempt the mesh itself cancelled ends: it lost a hedge race, or its call was over (the
 * caller cancelled it, another attempt answered, the call gave up). Not a failure of the endpoint
 * or the network: {@link Outcomes} names it {@code CANCELLED}, with no error type, so metrics do not
 * count it as an I/O error and its span is not an error. The transport's own failure is the cause.
 */
final class AttemptCancelledException extends IOException {
  private static final long serialVersionUID = 1L;

  AttemptCancelledException(IOException cause) {
    super("Canceled", cause);
  }
}
