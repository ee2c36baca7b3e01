package org.feedbackhub.admin;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.Validation;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /locks[?tenant_id=...]}: the lock monitor's JSON feed, polled by the console. When the
 * database cannot be read it answers 503 with an error object, so the page can say so and poll on.
 */
public final class LockMonitorServlet extends HttpServlet {
  public static final String PATH = "/locks";

  private static final Logger LOG = LoggerFactory.getLogger(LockMonitorServlet.class);

  private final transient LockMonitor monitor;
  private final transient AdminResponses responses;

  public LockMonitorServlet(LockMonitor monitor, AdminResponses responses) {
    this.monitor = monitor;
    this.responses = responses;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String raw = request.getParameter("tenant_id");
    String lookup = null;
    if (raw != null && !raw.isBlank()) {
      Validation v = new Validation();
      lookup = v.tenantId("tenant_id", raw);
      try {
        v.throwIfInvalid();
      } catch (ProblemException e) {
        responses.problem(
            request, response, e.code(), e.code().status(), e.getMessage(), e.invalidParams());
        return;
      }
    }
    try {
      responses.write(response, HttpServletResponse.SC_OK, monitor.snapshot(lookup));
    } catch (JdbiException e) {
      responses.write(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, unavailable(e));
    }
  }

  /**
   * The error object: which kind of failure, with the SQLSTATE, never the driver's message (it can
   * carry host names and user names).
   */
  static Map<String, Object> unavailable(JdbiException e) {
    String sqlState = sqlState(e);
    boolean timedOut = "57014".equals(sqlState);
    LOG.warn("lock monitor could not read the database: sqlstate={} {}", sqlState, e.getClass());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", timedOut ? "monitor_query_timeout" : "database_unavailable");
    body.put(
        "detail",
        timedOut
            ? "the lock query ran past the monitor's statement_timeout"
            : "the lock monitor cannot reach the database");
    body.put("sqlstate", sqlState);
    body.put("at", Instant.now().toString());
    return body;
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }
}
