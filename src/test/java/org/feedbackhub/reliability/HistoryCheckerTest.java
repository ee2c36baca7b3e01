package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.feedbackhub.reliability.HistoryChecker.FinalRecord;
import org.feedbackhub.reliability.Op.Kind;
import org.junit.jupiter.api.Test;

/** The history checker on hand-written histories: it must find each kind of broken promise. */
class HistoryCheckerTest {
  static final ObjectMapper JSON = new ObjectMapper();

  final List<Op> ops = new ArrayList<>();
  final Map<String, FinalRecord> records = new HashMap<>();
  final Map<String, String> webhooks = new HashMap<>();

  @Test
  void aConsistentHistoryPasses() {
    create("r1", "t0", "s1", 0, 10);
    create("r2", "t1", "s2", 0, 10);
    purge("t0", 20, 30, 1, 0);
    survivor("r2", "t1", "s2");
    assertThat(check()).isEmpty();
  }

  @Test
  void aRecordAcknowledgedBeforeAPurgeWasSentMustNotSurviveIt() {
    create("r1", "t0", "s1", 0, 10);
    purge("t0", 20, 30, 0, 0);
    survivor("r1", "t0", "s1");
    assertThat(check()).anyMatch(v -> v.contains("survived it"));
  }

  @Test
  void aRecordMustNotVanishWithoutSomethingThatCouldDeleteIt() {
    create("r1", "t0", "s1", 0, 10);
    purge("t1", 20, 30, 0, 0);
    assertThat(check()).anyMatch(v -> v.contains("vanished")).anyMatch(v -> v.contains("!="));
  }

  @Test
  void purgeCountsMustAccountForEveryAcknowledgedCreate() {
    create("r1", "t0", "s1", 0, 10);
    create("r2", "t0", "s2", 0, 10);
    purge("t0", 20, 30, 1, 0);
    assertThat(check()).singleElement().asString().contains("2 acknowledged creates");
  }

  @Test
  void aRefusedCreateMustLeaveNoTrace() {
    ops.add(op(Kind.PURGE, "t0", null, null, 0, 50, 409, "{\"code\":\"tenant_write_conflict\"}"));
    ops.add(op(Kind.CREATE, "t0", "s9", "u", 5, 10, 409, "{\"code\":\"tenant_write_conflict\"}"));
    survivor("r9", "t0", "s9");
    assertThat(check()).anyMatch(v -> v.contains("no acknowledged create wrote"));
  }

  @Test
  void aConflictWithNoOverlappingPurgeIsReported() {
    ops.add(op(Kind.CREATE, "t0", "s1", "u", 0, 10, 409, "{\"code\":\"tenant_write_conflict\"}"));
    purge("t0", 20, 30, 0, 0);
    assertThat(check()).anyMatch(v -> v.contains("no overlapping purge"));
  }

  @Test
  void aServerErrorIsAnUndocumentedStatus() {
    ops.add(op(Kind.UPDATE, "t0", "r1", "v", 0, 10, 500, "{\"code\":\"internal_server_error\"}"));
    assertThat(check()).anyMatch(v -> v.contains("undocumented status"));
  }

  @Test
  void aValueFromARefusedUpdateMustNotSurvive() {
    create("r1", "t0", "s1", 0, 10);
    purge("t0", 15, 40, 0, 0);
    ops.add(op(Kind.UPDATE, "t0", "r1", "v2", 20, 30, 409, "{\"code\":\"tenant_write_conflict\"}"));
    records.put("r1", new FinalRecord("r1", "t0", "s1", "v2"));
    assertThat(check()).anyMatch(v -> v.contains("value no acknowledged write wrote"));
  }

  List<String> check() {
    return new HistoryChecker(ops, records, webhooks).check();
  }

  void create(String id, String tenant, String submission, long sent, long done) {
    ops.add(op(Kind.CREATE, tenant, submission, "u", sent, done, 201, "{\"id\":\"" + id + "\"}"));
  }

  void purge(String tenant, long sent, long done, long records, long webhooks) {
    ops.add(
        op(
            Kind.PURGE,
            tenant,
            null,
            null,
            sent,
            done,
            200,
            "{\"deleted_feedback_records\":"
                + records
                + ",\"deleted_webhooks\":"
                + webhooks
                + "}"));
  }

  void survivor(String id, String tenant, String submission) {
    records.put(id, new FinalRecord(id, tenant, submission, "created:" + submission));
  }

  static Op op(
      Kind kind,
      String tenant,
      String target,
      String value,
      long sent,
      long done,
      int status,
      String body) {
    try {
      JsonNode json = JSON.readTree(body);
      return new Op(
          0,
          kind,
          tenant,
          target,
          value,
          sent,
          done,
          status,
          status >= 400 ? json.path("code").asText() : null,
          json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
