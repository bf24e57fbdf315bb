package io.meshclient.discovery.etcd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshclient.discovery.testing.EtcdServer;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Reads and writes keys of a test etcd directly (not through the code under test). */
final class EtcdKeys {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OkHttpClient HTTP = new OkHttpClient();

  private final String url;

  EtcdKeys(EtcdServer etcd) {
    this.url = etcd.clientUrl();
  }

  /** Puts a key; answers the revision it made. */
  long put(String key, String value) throws IOException {
    return post("/v3/kv/put", JSON.createObjectNode().put("key", EtcdGateway.encode(key)).put("value", EtcdGateway.encode(value)))
        .path("header").path("revision").asLong();
  }

  void delete(String key) throws IOException {
    post("/v3/kv/deleterange", JSON.createObjectNode().put("key", EtcdGateway.encode(key)));
  }

  /** Every key under {@code prefix} with its value. */
  Map<String, String> under(String prefix) throws IOException {
    JsonNode answer = post("/v3/kv/range", JSON.createObjectNode().put("key", EtcdGateway.encode(prefix))
        .put("range_end", EtcdGateway.encode(EtcdGateway.prefixEnd(prefix))));
    Map<String, String> keys = new TreeMap<>();
    for (JsonNode kv : answer.path("kvs")) {
      keys.put(EtcdGateway.decode(kv.path("key").asText()), EtcdGateway.decode(kv.path("value").asText("")));
    }
    return keys;
  }

  /** The lease a key is attached to, 0 if none or no such key. */
  long leaseOf(String key) throws IOException {
    JsonNode answer = post("/v3/kv/range", JSON.createObjectNode().put("key", EtcdGateway.encode(key)));
    return answer.path("kvs").path(0).path("lease").asLong(0);
  }

  /** The time to live a lease grants, in seconds. */
  long grantedTtl(long lease) throws IOException {
    return post("/v3/lease/timetolive", JSON.createObjectNode().put("ID", Long.toString(lease))).path("grantedTTL").asLong();
  }

  /** The seconds a lease has left, -1 if etcd no longer has it. */
  long remainingTtl(long lease) throws IOException {
    return post("/v3/lease/timetolive", JSON.createObjectNode().put("ID", Long.toString(lease))).path("TTL").asLong(-1);
  }

  void revoke(long lease) throws IOException {
    post("/v3/lease/revoke", JSON.createObjectNode().put("ID", Long.toString(lease)));
  }

  /** Compacts the history up to {@code revision}. */
  void compact(long revision) throws IOException {
    post("/v3/kv/compaction", JSON.createObjectNode().put("revision", Long.toString(revision)).put("physical", true));
  }

  private JsonNode post(String path, ObjectNode body) throws IOException {
    Request request = new Request.Builder().url(url + path)
        .post(RequestBody.create(JSON.writeValueAsBytes(body), MediaType.get("application/json"))).build();
    try (Response response = HTTP.newCall(request).execute()) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new IOException(path + " answered " + response.code() + ": " + text);
      }
      return JSON.readTree(text);
    }
  }

  static String endpoint(String host, int port) {
    return "{\"host\":\"" + host + "\",\"port\":" + port + "}";
  }
}
