package io.meshclient.spring;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Sends {@code RestClient} and {@code RestTemplate} requests on an OkHttp client, by default the
 * mesh's ({@code MeshClient.httpClient()}), so that {@code http://<service>/...} goes through the
 * mesh and every other URL is sent as is. The auto-configured customizers install it; use it
 * directly for a client built by hand:
 *
 * <pre>{@code
 * RestClient orders = RestClient.builder()
 *     .requestFactory(new MeshClientHttpRequestFactory(mesh.httpClient()))
 *     .baseUrl("http://orders")
 *     .build();
 * }</pre>
 *
 * <p>Request bodies are buffered (they may be sent more than once when the mesh retries). The
 * connection pool, timeouts and dispatcher are the OkHttp client's. Thread-safe.
 */
public final class MeshClientHttpRequestFactory implements ClientHttpRequestFactory {
  private final OkHttpClient client;

  /** A factory sending on {@code client}. */
  public MeshClientHttpRequestFactory(OkHttpClient client) {
    this.client = requireNonNull(client, "client");
  }

  @Override
  public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
    return new MeshRequest(client, uri, httpMethod);
  }

  /** A request whose body is buffered, then sent whole on {@link #execute()}. */
  private static final class MeshRequest implements ClientHttpRequest {
    private final OkHttpClient client;
    private final URI uri;
    private final HttpMethod method;
    private final HttpHeaders headers = new HttpHeaders();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private boolean executed;

    MeshRequest(OkHttpClient client, URI uri, HttpMethod method) {
      this.client = client;
      this.uri = uri;
      this.method = method;
    }

    @Override
    public HttpMethod getMethod() {
      return method;
    }

    @Override
    public URI getURI() {
      return uri;
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getBody() {
      return body;
    }

    // Declared by HttpRequest since Spring Framework 6.2 (no @Override: the 3.5 line's may lack it).
    public Map<String, Object> getAttributes() {
      return attributes;
    }

    @Override
    public ClientHttpResponse execute() throws IOException {
      if (executed) {
        throw new IllegalStateException("the request was already executed");
      }
      executed = true;
      return send(body.toByteArray());
    }

    private ClientHttpResponse send(byte[] body) throws IOException {
      okhttp3.MediaType type = headers.getContentType() == null ? null
          : okhttp3.MediaType.parse(headers.getContentType().toString());
      boolean bodyless = method == HttpMethod.GET || method == HttpMethod.HEAD;
      RequestBody requestBody = body.length == 0 && bodyless ? null : RequestBody.create(body, type);
      Request.Builder request = new Request.Builder().url(uri.toString()).method(method.name(), requestBody);
      headers.forEach((name, values) -> {
        // OkHttp frames the body itself.
        if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH) && !name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)) {
          values.forEach(value -> request.addHeader(name, value));
        }
      });
      return new MeshResponse(client.newCall(request.build()).execute());
    }
  }

  private static final class MeshResponse implements ClientHttpResponse {
    private final Response response;
    private @Nullable HttpHeaders headers;

    MeshResponse(Response response) {
      this.response = response;
    }

    @Override
    public HttpStatusCode getStatusCode() {
      return HttpStatusCode.valueOf(response.code());
    }

    @Override
    public String getStatusText() {
      return response.message();
    }

    @Override
    public HttpHeaders getHeaders() {
      HttpHeaders h = headers;
      if (h == null) {
        h = new HttpHeaders();
        Headers raw = response.headers();
        for (int i = 0; i < raw.size(); i++) {
          h.add(raw.name(i), raw.value(i));
        }
        headers = h;
      }
      return h;
    }

    @Override
    public InputStream getBody() {
      ResponseBody body = response.body();
      return body.byteStream();
    }

    @Override
    public void close() {
      response.close();
    }
  }
}
