package io.meshclient.core.deadline;

import static java.util.Objects.requireNonNull;

import io.meshclient.api.TimeoutPolicy;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * A servlet filter that reads the deadline an incoming request carries (the
 * {@value TimeoutPolicy#DEFAULT_DEADLINE_HEADER} header unless named otherwise, in relative
 * milliseconds) and makes it {@linkplain Deadline#current() current} while the request is served,
 * so that the mesh calls made for it end no later than the caller waits. A request without the
 * header, or with a malformed one, is served with no deadline.
 *
 * <pre>{@code
 * servletContext.addFilter("meshDeadline", new MeshDeadlineFilter()).addMappingForUrlPatterns(null, false, "/*");
 * }</pre>
 *
 * <p>Needs the Jakarta Servlet API (5 or later), which servlet applications have. Thread-safe.
 */
public final class MeshDeadlineFilter implements Filter {
  private final String header;

  /** A filter reading {@value TimeoutPolicy#DEFAULT_DEADLINE_HEADER}. */
  public MeshDeadlineFilter() {
    this(TimeoutPolicy.DEFAULT_DEADLINE_HEADER);
  }

  /** A filter reading {@code header}. */
  public MeshDeadlineFilter(String header) {
    this.header = requireNonNull(header, "header");
  }

  /** The header read. */
  public String header() {
    return header;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    Deadline incoming = request instanceof HttpServletRequest
        ? Deadline.parse(((HttpServletRequest) request).getHeader(header)) : null;
    if (incoming == null) {
      chain.doFilter(request, response);
      return;
    }
    try {
      Deadline.callWith(incoming, () -> {
        chain.doFilter(request, response);
        return null;
      });
    } catch (IOException | ServletException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ServletException(e); // doFilter throws nothing else
    }
  }
}
