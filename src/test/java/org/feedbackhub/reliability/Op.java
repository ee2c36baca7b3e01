package org.feedbackhub.reliability;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One operation of a recorded history: what was sent, when (System.nanoTime at send and at the
 * response), and what came back.
 *
 * @param tenant the tenant the operation addresses (a webhook move: the destination); null for an
 *     unfiltered delete-by-user
 * @param target the record or webhook id of an id-based call, the user id of a delete-by-user, the
 *     submission id of a record create
 * @param value the unique value an update writes (value_text, or a settings write's
 *     target_language), or null
 * @param status the HTTP status, or -1 when no response arrived
 * @param code the problem {@code code} of an error response, or null
 * @param body the parsed response body, or null
 */
record Op(
    int worker,
    Kind kind,
    String tenant,
    String target,
    String value,
    long sent,
    long done,
    int status,
    String code,
    JsonNode body) {

  enum Kind {
    CREATE,
    UPDATE,
    DELETE,
    DELETE_BY_USER,
    WEBHOOK_CREATE,
    WEBHOOK_UPDATE,
    WEBHOOK_DELETE,
    /** A PATCH of a webhook's {@code tenant_id}: locks the source and the destination tenant. */
    WEBHOOK_MOVE,
    SETTINGS_PUT,
    SETTINGS_PATCH,
    PURGE
  }

  boolean ok() {
    return status >= 200 && status < 300;
  }

  boolean tenantConflict() {
    return status == 409 && "tenant_write_conflict".equals(code);
  }

  /** Whether this operation's time span and {@code other}'s overlap. */
  boolean overlaps(Op other) {
    return sent < other.done && other.sent < done;
  }

  @Override
  public String toString() {
    return kind
        + "[w"
        + worker
        + " tenant="
        + tenant
        + " target="
        + target
        + " status="
        + status
        + (code == null ? "" : " code=" + code)
        + " sent="
        + sent
        + " done="
        + done
        + "]";
  }
}
