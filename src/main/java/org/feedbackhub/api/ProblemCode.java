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
