package org.feedbackhub.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Names one of feedback-hub's task servlets in Dropwizard's {@code GET /tasks} list, where
 * operators look for tasks. Requests never reach it: the servlet mapped at the task's exact path
 * wins over Dropwizard's {@code /tasks/*}.
 */
public final class ServletTask extends Task {
  public ServletTask(String servletPath) {
    super(servletPath.substring(servletPath.lastIndexOf('/') + 1));
  }

  @Override
  public void execute(Map<String, List<String>> parameters, PrintWriter output) {
    throw new IllegalStateException("served by its own servlet at /tasks/" + getName());
  }
}
