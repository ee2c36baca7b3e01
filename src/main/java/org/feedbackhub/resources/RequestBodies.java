package org.feedbackhub.resources;

import org.feedbackhub.api.ProblemException;

/** Request-body checks shared by resources. */
final class RequestBodies {
  private RequestBodies() {}

  /** An absent body (empty, or the JSON literal {@code null}) is a {@code bad_request}. */
  static <T> T require(T body) {
    if (body == null) {
      throw ProblemException.badRequest("Invalid request body");
    }
    return body;
  }
}
