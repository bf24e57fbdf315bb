package io.meshclient.core.internal;

import com.netflix.concurrency.limits.Limiter;
import io.meshclient.api.RetryRule;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a {@link MeshCall}: where it went, its transport call, its place in the adaptive
 * concurrency limit, and how it ended, as a {@link RetryRule} reads it. The call's lock guards the
 * mutable fields; the transport reports the outcome through {@link Callback}.
 */
final class Attempt implements Callback, RetryRule.Outcome {
private final MeshCall owner;
private final String method;

  final int number;
  final EndpointState endpoint;
  final boolean hedge;
  final Call call;
  final CallObserver.Attempt observed;
  final Limiter.Listener room;
  long sent;
  @Nullable Response response;
  @Nullable IOException failure;
  boolean connectFailure;
  boolean timedOut;
  /** The mesh cancelled this attempt: its call was decided while it was out. */
  boolean cancelled;

  Attempt(MeshCall owner, String method, int number, EndpointState endpoint, boolean hedge, Call call,
      CallObserver.Attempt observed, Limiter.Listener room) {
    this.owner = owner;
    this.method = method;
    this.number = number;
    this.endpoint = endpoint;
    this.hedge = hedge;
    this.call = call;
    this.observed = observed;
    this.room = room;
  }

  @Override
  public void onResponse(Call call, Response response) {
    owner.finish(this, response, null);
  }

  @Override
  public void onFailure(Call call, IOException e) {
    owner.finish(this, null, e);
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public int statusCode() {
    return response != null ? response.code() : 0;
  }

  @Override
  public @Nullable String header(String name) {
    return response != null ? response.header(name) : null;
  }

  @Override
  public @Nullable IOException failure() {
    return failure;
  }

  @Override
  public boolean connectFailure() {
    return connectFailure;
  }

  @Override
  public boolean timedOut() {
    return timedOut;
  }
}
