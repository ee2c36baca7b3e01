package org.feedbackhub.api;

/**
 * The closed set of problem {@code code} values clients branch on, with their HTTP status and type.
 */
public enum ProblemCode {
  VALIDATION(400, "validation", "validation", "Validation Error"),
  BAD_REQUEST(400, "bad_request", "bad-request", "Bad Request"),
  UNAUTHORIZED(401, "unauthorized", "unauthorized", "Unauthorized"),
  FORBIDDEN(403, "forbidden", "forbidden", "Forbidden"),
  NOT_FOUND(404, "not_found", "not-found", "Not Found"),
  METHOD_NOT_ALLOWED(405, "method_not_allowed", "method-not-allowed", "Method Not Allowed"),
  CONFLICT(409, "conflict", "conflict", "Conflict"),
  TENANT_WRITE_CONFLICT(409, "tenant_write_conflict", "tenant-write-conflict", "Conflict"),
  CONTENT_TOO_LARGE(413, "content_too_large", "content-too-large", "Content Too Large"),
  SERVICE_UNAVAILABLE(503, "service_unavailable", "service-unavailable", "Service Unavailable"),
  INTERNAL_SERVER_ERROR(
      500, "internal_server_error", "internal-server-error", "Internal Server Error");

  /** Prefix of every problem {@code type} URI. */
  public static final String TYPE_BASE = "https://hub.formbricks.com/problems/";

  private final int status;
  private final String code;
  private final String typeSlug;
  private final String title;

  ProblemCode(int status, String code, String typeSlug, String title) {
    this.status = status;
    this.code = code;
    this.typeSlug = typeSlug;
    this.title = title;
  }

  /**
   * The one status -> code table of both ports (Jersey's errors, Jetty's, the admin servlets'):
   * statuses without a code of their own are {@code bad_request} (4xx) or {@code
   * internal_server_error} (5xx).
   */
  public static ProblemCode forStatus(int status) {
    return switch (status) {
      case 400 -> BAD_REQUEST;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 409 -> CONFLICT;
      case 413 -> CONTENT_TOO_LARGE;
      case 503 -> SERVICE_UNAVAILABLE;
      default -> status >= 500 ? INTERNAL_SERVER_ERROR : BAD_REQUEST;
    };
  }

  /**
   * The {@code type} of a problem with {@code status}: the code's, or {@code client-error} for a
   * 4xx that has no code of its own (406, 415, ...).
   */
  public static String typeForStatus(int status) {
    ProblemCode code = forStatus(status);
    return code.status() == status || status >= 500 ? code.type() : TYPE_BASE + "client-error";
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String type() {
    return TYPE_BASE + typeSlug;
  }

  public String title() {
    return title;
  }
}
