package org.feedbackhub.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpException;
import org.feedbackhub.api.InvalidParam;
import org.feedbackhub.api.ProblemCode;

/**
 * In front of every {@code /tasks/*} path: reads the request's parameters (query and form body)
 * before any task runs, so a body that cannot be read is a problem+json 4xx, and checks the
 * parameters of Dropwizard's {@code log-level} task.
 *
 * @implNote Dropwizard's task servlet answers any exception a task's parameters raise with a
 *     text/plain 500 quoting the exception: a form over Jetty's size limit, a body declared gzip
 *     that is not, or a {@code duration} that is not ISO-8601; and {@code log-level} sets DEBUG for
 *     a level it does not know.
 */
public final class TaskRequestGuard extends HttpFilter {
  public static final String PATH = "/tasks/*";

  private static final Set<String> LEVELS =
      Set.of("OFF", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL");

  private final transient AdminResponses responses;

  public TaskRequestGuard(AdminResponses responses) {
    this.responses = responses;
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      request.getParameterMap();
    } catch (RuntimeException unreadable) {
      boolean tooLarge =
          (unreadable instanceof HttpException http && http.getCode() == 413)
              || String.valueOf(unreadable.getMessage()).toLowerCase(Locale.ROOT).contains("max");
      ProblemCode code = tooLarge ? ProblemCode.CONTENT_TOO_LARGE : ProblemCode.BAD_REQUEST;
      responses.problem(
          request,
          response,
          code,
          code.status(),
          tooLarge ? "request body too large" : "Invalid request body: it could not be read",
          null);
      return;
    }
    if ("/log-level".equals(request.getPathInfo())) {
      List<InvalidParam> invalid = logLevelProblems(request);
      if (!invalid.isEmpty()) {
        ProblemCode code = ProblemCode.VALIDATION;
        responses.problem(
            request, response, code, code.status(), "input validation failed", invalid);
        return;
      }
    }
    chain.doFilter(request, response);
  }

  private static List<InvalidParam> logLevelProblems(HttpServletRequest request) {
    List<InvalidParam> invalid = new ArrayList<>();
    String[] levels = request.getParameterValues("level");
    if (levels != null) {
      for (String level : levels) {
        if (!LEVELS.contains(level.strip().toUpperCase(Locale.ROOT))) {
          invalid.add(new InvalidParam("level", "must be one of " + String.join(", ", LEVELS)));
        }
      }
    }
    String duration = request.getParameter("duration");
    if (duration != null) {
      try {
        if (Duration.parse(duration).isNegative()) {
          invalid.add(new InvalidParam("duration", "must not be negative"));
        }
      } catch (DateTimeParseException e) {
        invalid.add(new InvalidParam("duration", "must be an ISO-8601 duration such as PT5M"));
      }
    }
    return invalid;
  }
}
