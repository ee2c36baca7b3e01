package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.feedbackhub.testing.HubApp;
import org.glassfish.jersey.client.ClientProperties;

/** Fixtures and calls the concurrency tests share, on top of {@link HubApp}. */
final class Hub {
  /** Long enough for any purge a test lets wait: the client must not give up first. */
  private static final int LONG_READ_TIMEOUT_MS = 30_000;

  private Hub() {}

  /** A response read to the end, so it can cross threads. */
  record Reply(int status, JsonNode body, String retryAfter, String shouldRetry) {
    static Reply of(Response response) {
      try (response) {
        JsonNode body = response.hasEntity() ? response.readEntity(JsonNode.class) : null;
        return new Reply(
            response.getStatus(),
            body,
            response.getHeaderString("Retry-After"),
            response.getHeaderString("x-should-retry"));
      }
    }
  }

  static String recordBody(String tenantId, String userId) {
    return """
        {"source_type":"survey","field_id":"q1","field_type":"text","submission_id":"%s",
         "tenant_id":"%s","value_text":"hello","user_id":"%s"}
        """
        .formatted(UUID.randomUUID(), tenantId, userId);
  }

  /** Creates a record of {@code userId} in {@code tenantId} and returns its id. */
  static String createRecord(HubApp app, String tenantId, String userId) {
    Reply created = post(app, "/v1/feedback-records", recordBody(tenantId, userId));
    assertThat(created.status()).as("create in %s", tenantId).isEqualTo(201);
    return created.body().get("id").asText();
  }

  static String createRecord(HubApp app, String tenantId) {
    return createRecord(app, tenantId, "user-" + UUID.randomUUID());
  }

  /** A purge whose client waits long enough for any lock wait the test sets up. */
  static Reply purge(HubApp app, String tenantId) {
    return patientDelete(app, purgePath(tenantId));
  }

  static Reply get(HubApp app, String path) {
    return Reply.of(app.get(path));
  }

  static Reply post(HubApp app, String path, String json) {
    return Reply.of(app.post(path, json));
  }

  static Reply put(HubApp app, String path, String json) {
    return Reply.of(app.put(path, json));
  }

  static Reply patch(HubApp app, String path, String json) {
    return Reply.of(app.patch(path, json));
  }

  static Reply delete(HubApp app, String path) {
    return Reply.of(app.delete(path));
  }

  static String purgePath(String tenantId) {
    return "/v1/tenants/" + tenantId + "/data";
  }

  /** Runs a call on another thread, reading its response there. */
  static CompletableFuture<Reply> async(Supplier<Reply> call, ExecutorService executor) {
    return CompletableFuture.supplyAsync(call, executor);
  }

  /** A DELETE whose client waits long enough for a purge or an erase held up by the test. */
  static Reply patientDelete(HubApp app, String path) {
    return Reply.of(
        app.request(path).property(ClientProperties.READ_TIMEOUT, LONG_READ_TIMEOUT_MS).delete());
  }

  static long recordsOf(HubApp app, String tenantId) {
    return get(app, "/v1/feedback-records/count?tenant_id=" + tenantId)
        .body()
        .get("count")
        .asLong();
  }
}
