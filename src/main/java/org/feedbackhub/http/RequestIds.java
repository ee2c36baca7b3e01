package org.feedbackhub.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;

/**
 * The outermost filter: reads {@code X-Request-ID} or creates a UUIDv7, echoes it on every response
 * and puts it in the logging context.
 */
public final class RequestIds implements Filter {
  public static final String HEADER = "X-Request-ID";
  private static final String ATTRIBUTE = RequestIds.class.getName();
  private static final String MDC_KEY = "request_id";
  private static final int MAX_LENGTH = 200;

  /** The id of {@code request}, or of the current thread's request when it is null. */
  public static String current(HttpServletRequest request) {
    if (request != null) {
      try {
        Object id = request.getAttribute(ATTRIBUTE);
        if (id != null) {
          return id.toString();
        }
      } catch (IllegalStateException outsideRequestScope) {
        // fall through to the logging context
      }
    }
    return MDC.get(MDC_KEY);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String id =
        acceptable(request.getHeader(HEADER))
            ? request.getHeader(HEADER)
            : UuidV7.next().toString();
    request.setAttribute(ATTRIBUTE, id);
    response.setHeader(HEADER, id);
    MDC.put(MDC_KEY, id);
    try {
      chain.doFilter(req, res);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  /** A client's id is kept when it is short printable ASCII, so it cannot forge log lines. */
  private static boolean acceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
