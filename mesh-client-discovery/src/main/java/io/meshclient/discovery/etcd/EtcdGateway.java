package io.meshclient.discovery.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * etcd's v3 API through its JSON gateway ({@code POST /v3/kv/range}, {@code /v3/watch}, ...) over
 * OkHttp: keys and values travel base64-encoded, 64-bit numbers as strings. A request that cannot
 * reach a member is tried on the next one; the member that answered is tried first next time.
 *
 * <p>Thread-safe.
 */
final class EtcdGateway {
  private static final MediaType JSON = MediaType.get("application/json");

  private final List<HttpUrl> members;
  private final OkHttpClient requests;
  private final OkHttpClient watches;
  private final ObjectMapper json;
  private final AtomicInteger current = new AtomicInteger();

  EtcdGateway(List<HttpUrl> members, OkHttpClient client, Duration timeout, ObjectMapper json) {
    this.members = List.copyOf(members);
    this.requests = client.newBuilder().callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build();
    // A watch is a response that never ends: no read or call timeout, only the connect timeout.
    this.watches = client.newBuilder()
        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(0, TimeUnit.MILLISECONDS)
        .callTimeout(0, TimeUnit.MILLISECONDS)
        .build();
    this.json = json;
  }

  /** Every key in {@code [key, rangeEnd)} and the store revision they were read at. */
  Range range(String key, String rangeEnd) throws IOException {
    ObjectNode body = json.createObjectNode().put("key", encode(key)).put("range_end", encode(rangeEnd));
    JsonNode answer = post("/v3/kv/range", body);
    List<KeyValue> kvs = new ArrayList<>();
    for (JsonNode kv : answer.path("kvs")) {
      kvs.add(keyValue(kv));
    }
    return new Range(answer.path("header").path("revision").asLong(), kvs);
  }

  /** Sets {@code key} to {@code value}, attached to {@code lease} (0 for none). */
  void put(String key, String value, long lease) throws IOException {
    ObjectNode body = json.createObjectNode().put("key", encode(key)).put("value", encode(value));
    if (lease != 0) {
      body.put("lease", Long.toString(lease));
    }
    post("/v3/kv/put", body);
  }

  /** A new lease of {@code ttl} (whole seconds, rounded up); answers its id. */
  long grant(Duration ttl) throws IOException {
    long seconds = ttl.toSeconds() + (ttl.toNanosPart() == 0 ? 0 : 1);
    JsonNode answer = post("/v3/lease/grant", json.createObjectNode().put("TTL", Long.toString(seconds)));
    if (!answer.path("error").asText("").isEmpty()) {
      throw new IOException("etcd refused a lease of " + seconds + " s: " + answer.path("error").asText());
    }
    return answer.path("ID").asLong();
  }

  /** Renews {@code lease}; answers its time to live in seconds, or 0 if etcd no longer has it. */
  long keepAlive(long lease) throws IOException {
    JsonNode answer = post("/v3/lease/keepalive", json.createObjectNode().put("ID", Long.toString(lease)));
    return answer.path("result").path("TTL").asLong(0);
  }

  /** Ends {@code lease} and deletes every key attached to it. */
  void revoke(long lease) throws IOException {
    post("/v3/lease/revoke", json.createObjectNode().put("ID", Long.toString(lease)));
  }

  /**
   * Opens a watch of {@code [key, rangeEnd)} from {@code startRevision}: the answers stream in
   * until the stream is closed or the connection drops.
   */
  WatchStream watch(String key, String rangeEnd, long startRevision) throws IOException {
    ObjectNode create = json.createObjectNode()
        .put("key", encode(key))
        .put("range_end", encode(rangeEnd))
        .put("start_revision", Long.toString(startRevision))
        .put("progress_notify", true);
    ObjectNode body = json.createObjectNode();
    body.set("create_request", create);
    IOException failure = null;
    for (int i = 0; i < members.size(); i++) {
      int index = Math.floorMod(current.get() + i, members.size());
      Call call = watches.newCall(request(members.get(index), "/v3/watch", body));
      Response response = null;
      try {
        response = call.execute();
        checkStatus(response, "/v3/watch");
        current.set(index);
        return new WatchStream(call, response, json.readerFor(JsonNode.class).readValues(response.body().byteStream()));
      } catch (IOException e) {
        if (response != null) {
          response.close();
        }
        failure = failure == null ? e : addSuppressed(failure, e);
      }
    }
    throw failure;
  }

  private JsonNode post(String path, JsonNode body) throws IOException {
    IOException failure = null;
    for (int i = 0; i < members.size(); i++) {
      int index = Math.floorMod(current.get() + i, members.size());
      try (Response response = requests.newCall(request(members.get(index), path, body)).execute()) {
        checkStatus(response, path);
        JsonNode answer = json.readTree(response.body().byteStream());
        current.set(index);
        return answer == null ? json.createObjectNode() : answer;
      } catch (EtcdAnswerException e) {
        throw e; // etcd answered: another member would answer the same
      } catch (IOException e) {
        failure = failure == null ? e : addSuppressed(failure, e);
      }
    }
    throw failure;
  }

  private Request request(HttpUrl member, String path, JsonNode body) throws IOException {
    HttpUrl url = member.newBuilder().encodedPath(path).build();
    return new Request.Builder().url(url).post(RequestBody.create(json.writeValueAsBytes(body), JSON)).build();
  }

  private void checkStatus(Response response, String path) throws IOException {
    if (response.isSuccessful()) {
      return;
    }
    ResponseBody body = response.body();
    String text = body.string();
    String message = text;
    try {
      JsonNode error = json.readTree(text);
      message = error.path("message").asText(error.path("error").asText(text));
    } catch (IOException notJson) {
      // keep the raw text
    }
    throw new EtcdAnswerException("etcd at " + response.request().url().host() + ":" + response.request().url().port()
        + " answered " + response.code() + " to " + path + ": " + message);
  }

  private KeyValue keyValue(JsonNode kv) {
    return new KeyValue(decode(kv.path("key").asText()), Base64.getDecoder().decode(kv.path("value").asText("")),
        kv.path("mod_revision").asLong());
  }

  private static IOException addSuppressed(IOException first, IOException next) {
    first.addSuppressed(next);
    return first;
  }

  static String encode(String key) {
    return Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /** The end of the range of every key that starts with {@code prefix}: its last byte plus one. */
  static String prefixEnd(String prefix) {
    byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(bytes, i + 1);
        end[i]++;
        return new String(end, StandardCharsets.UTF_8);
      }
    }
    return "\0";
  }

  /** The keys of a range and the revision of the store they were read at. */
  record Range(long revision, List<KeyValue> kvs) {}

  /** One key, its value and the revision that last changed it. */
  record KeyValue(String key, byte[] value, long modRevision) {}

  /** A put (value set) or a delete of one key. */
  record Event(boolean delete, KeyValue kv) {}

  /**
   * One answer on a watch stream.
   *
   * @param revision the store revision when etcd sent it
   * @param created the watch has just started
   * @param compactRevision if non-zero, the start revision was compacted away and the watch ended
   * @param canceled etcd ended the watch
   * @param cancelReason why, if etcd said
   * @param events the changes, oldest first
   */
  record WatchAnswer(long revision, boolean created, long compactRevision, boolean canceled, String cancelReason,
      List<Event> events) {}

  /** An open watch; {@link #close()} ends it from any thread. */
  final class WatchStream implements Closeable {
    private final Call call;
    private final Response response;
    private final MappingIterator<JsonNode> answers;

    private WatchStream(Call call, Response response, MappingIterator<JsonNode> answers) {
      this.call = call;
      this.response = response;
      this.answers = answers;
    }

    /** The next answer, waiting for it; {@code null} when the stream has ended. */
    @Nullable WatchAnswer next() throws IOException {
      if (!answers.hasNextValue()) {
        return null;
      }
      JsonNode node = answers.nextValue();
      if (node.has("error")) {
        JsonNode error = node.path("error");
        throw new EtcdAnswerException("etcd ended the watch: " + error.path("message").asText(error.toString()));
      }
      JsonNode result = node.path("result");
      List<Event> events = new ArrayList<>();
      for (JsonNode event : result.path("events")) {
        events.add(new Event("DELETE".equals(event.path("type").asText()), keyValue(event.path("kv"))));
      }
      return new WatchAnswer(result.path("header").path("revision").asLong(), result.path("created").asBoolean(),
          result.path("compact_revision").asLong(), result.path("canceled").asBoolean(),
          result.path("cancel_reason").asText(""), events);
    }

    /**
     * Stops the stream from any thread: the reader's blocked read fails at once. The body is left
     * for the reading thread to close ({@link #close()}): discarding it here would read the socket
     * concurrently with that thread.
     */
    void cancel() {
      call.cancel();
    }

    /** Cancels the call and closes the body; only from the thread that reads the stream. */
    @Override
    public void close() {
      call.cancel();
      response.close();
    }
  }

  /** etcd answered, with an error: retrying on another member would not help. */
  static final class EtcdAnswerException extends IOException {
    EtcdAnswerException(String message) {
      super(message);
    }
  }
}
