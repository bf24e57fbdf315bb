package io.meshclient.core;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Runs a call with {@code execute()} or {@code enqueue()}, so one test covers both. */
enum Calls {
  EXECUTE {
    @Override
    Result run(OkHttpClient client, Request request) throws IOException {
      try (Response response = client.newCall(request).execute()) {
        return new Result(response.code(), response.body().string(), response.request().url().port());
      }
    }
  },
  ENQUEUE {
    @Override
    Result run(OkHttpClient client, Request request) throws IOException {
      CompletableFuture<Result> result = new CompletableFuture<>();
      client.newCall(request).enqueue(new Callback() {
        @Override
        public void onResponse(Call call, Response response) {
          try (response) {
            result.complete(new Result(response.code(), response.body().string(), response.request().url().port()));
          } catch (IOException e) {
            result.completeExceptionally(e);
          }
        }

        @Override
        public void onFailure(Call call, IOException e) {
          result.completeExceptionally(e);
        }
      });
      try {
        return result.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw (IOException) e.getCause();
      } catch (InterruptedException | TimeoutException e) {
        throw new AssertionError("enqueued call did not finish", e);
      }
    }
  };

  abstract Result run(OkHttpClient client, Request request) throws IOException;

  Result get(OkHttpClient client, String url) throws IOException {
    return run(client, new Request.Builder().url(url).build());
  }

  /** What the caller saw: status, body, and the port of the endpoint that answered. */
  record Result(int status, String body, int port) {}
}
