package org.feedbackhub.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.feedbackhub.api.ProblemCode;

/**
 * The methods every admin path answers: a task ({@code /tasks/<name>}) POST, everything else (the
 * console, its feeds, {@code /tasks} itself and Dropwizard's pages) GET and HEAD. Any other method
 * is a 405 problem with {@code Allow}.
 *
 * @implNote Without it a servlet that implements only {@code doGet} answers PATCH with {@code 501
 *     Not Implemented}: a 5xx for a client's mistake, which clients retry.
 */
public final class AdminMethods extends HttpFilter {
  private static final Set<String> READ = Set.of("GET", "HEAD");

  private final transient AdminResponses responses;

  public AdminMethods(AdminResponses responses) {
    this.responses = responses;
  }

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    boolean task = isTask(request.getRequestURI());
    String method = request.getMethod();
    if (task ? "POST".equals(method) : READ.contains(method)) {
      chain.doFilter(request, response);
      return;
    }
    String allow = task ? "POST" : "GET, HEAD";
    response.setHeader("Allow", allow);
    ProblemCode code = ProblemCode.METHOD_NOT_ALLOWED;
    responses.problem(
        request, response, code, code.status(), "Method " + method + " is not allowed", null);
  }

  private static boolean isTask(String path) {
    return path.startsWith("/tasks/") && path.length() > "/tasks/".length();
  }
}
