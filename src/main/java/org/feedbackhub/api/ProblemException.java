package org.feedbackhub.api;

import java.util.List;
import java.util.Map;

/**
 * A client-facing failure with its problem code; thrown anywhere below the resources and turned
 * into problem+json by one mapper.
 *
 * @implNote Carries no stack trace: it is an answer, not a fault (its mapper logs its code and
 *     detail, never a trace), and filling one in walks all of Jetty's and Jersey's frames on every
 *     4xx.
 */
public class ProblemException extends RuntimeException {
  /** Most {@code invalid_params} a problem carries (the reference schema's maxItems). */
  public static final int MAX_INVALID_PARAMS = 100;

  private final ProblemCode code;
  private final transient Map<String, Object> details;
  private final transient List<InvalidParam> invalidParams;
  private final transient Map<String, String> headers;

  public ProblemException(
      ProblemCode code,
      String detail,
      Map<String, Object> details,
      List<InvalidParam> invalidParams,
      Map<String, String> headers) {
    super(detail, null, false, false);
    this.code = code;
    this.details = details;
    this.invalidParams =
        invalidParams == null || invalidParams.size() <= MAX_INVALID_PARAMS
            ? invalidParams
            : List.copyOf(invalidParams.subList(0, MAX_INVALID_PARAMS));
    this.headers = headers == null ? Map.of() : headers;
  }

  public static ProblemException validation(List<InvalidParam> invalidParams) {
    return new ProblemException(
        ProblemCode.VALIDATION, "input validation failed", null, invalidParams, null);
  }

  public static ProblemException validation(String name, String reason) {
    return validation(List.of(new InvalidParam(name, reason)));
  }

  public static ProblemException badRequest(String detail) {
    return new ProblemException(ProblemCode.BAD_REQUEST, detail, null, null, null);
  }

  public static ProblemException notFound(String resourceType) {
    return new ProblemException(
        ProblemCode.NOT_FOUND,
        resourceType + " not found",
        Map.of("resource_type", resourceType),
        null,
        null);
  }

  /** The terminal 409: retrying the same request cannot succeed. */
  public static ProblemException conflict(String detail) {
    return new ProblemException(
        ProblemCode.CONFLICT, detail, null, null, Map.of("x-should-retry", "false"));
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(ProblemCode.FORBIDDEN, detail, null, null, null);
  }

  /**
   * The body cap was exceeded. The rest of the body is never read, so the connection is closed
   * rather than left for a client to reuse with unread bytes in it.
   */
  public static ProblemException contentTooLarge() {
    return contentTooLarge(true);
  }

  /**
   * @param closeConnection false when the whole body was read, so the connection can be reused
   */
  public static ProblemException contentTooLarge(boolean closeConnection) {
    return new ProblemException(
        ProblemCode.CONTENT_TOO_LARGE,
        "request body too large",
        null,
        null,
        closeConnection ? Map.of("Connection", "close") : Map.of());
  }

  public static ProblemException serviceUnavailable(String detail) {
    return new ProblemException(ProblemCode.SERVICE_UNAVAILABLE, detail, null, null, null);
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(
        ProblemCode.UNAUTHORIZED, detail, null, null, Map.of("WWW-Authenticate", "Bearer"));
  }

  public ProblemCode code() {
    return code;
  }

  public Map<String, Object> details() {
    return details;
  }

  public List<InvalidParam> invalidParams() {
    return invalidParams;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
