package io.meshclient.benchmarks;

import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The one call every benchmark makes, and the shutdown of the clients it makes it with. */
final class Clients {
  /** The status every benchmark call must answer with; anything else fails the benchmark. */
  static final int EXPECTED_STATUS = 200;

  private Clients() {}

  /**
   * Executes {@code request}, reads the whole body and closes the response.
   *
   * @return the body read
   * @throws IOException if the call fails or answers anything but {@value #EXPECTED_STATUS}, so a
   *     benchmark never measures a broken call
   */
  static byte[] execute(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      if (response.code() != EXPECTED_STATUS) {
        throw new IOException(request.url() + " answered HTTP " + response.code() + " (expected: "
            + EXPECTED_STATUS + ")");
      }
      return response.body().bytes();
    }
  }

  /** Stops the client's dispatcher threads and closes its idle connections, so a fork can exit. */
  static void shutDown(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
