package io.meshclient.core.internal;

import io.meshclient.api.HashKey;
import java.util.function.Function;
import okhttp3.Request;
import org.jspecify.annotations.Nullable;

/**
 * Reads a request's consistent-hashing key, as a service's settings say: a function of the
 * request when one is set, else the header, cookie, query parameter or path its {@link HashKey}
 * names. {@link #NONE} reads nothing.
 */
public final class RequestKey {
  /** No key: requests spread at random under the hashing balancers. */
  public static final RequestKey NONE = new RequestKey(null, null);

  private final @Nullable HashKey hashKey;
  private final @Nullable Function<Request, @Nullable String> function;

  private RequestKey(@Nullable HashKey hashKey, @Nullable Function<Request, @Nullable String> function) {
    this.hashKey = hashKey;
    this.function = function;
  }

  /** The key {@code function} computes, or else the one {@code hashKey} names; {@link #NONE} if neither. */
  public static RequestKey of(@Nullable HashKey hashKey, @Nullable Function<Request, @Nullable String> function) {
    return hashKey == null && function == null ? NONE : new RequestKey(hashKey, function);
  }

  /** The key of {@code request}, or {@code null} when it has none. */
  public @Nullable String of(Request request) {
    if (function != null) {
      return function.apply(request);
    }
    if (hashKey == null) {
      return null;
    }
    switch (hashKey.source()) {
      case HEADER:
        return request.header(hashKey.name());
      case QUERY_PARAMETER:
        return request.url().queryParameter(hashKey.name());
      case PATH:
        return request.url().encodedPath();
      case COOKIE:
        return cookie(request, hashKey.name());
      default:
        throw new AssertionError(hashKey);
    }
  }

  private static @Nullable String cookie(Request request, String name) {
    for (String header : request.headers("Cookie")) {
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
          return pair.substring(eq + 1).trim();
        }
      }
    }
    return null;
  }
}
