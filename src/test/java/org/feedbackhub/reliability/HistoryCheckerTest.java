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
  final Map<String, String> settings = new HashMap<>();

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

  // --- webhooks moving between tenants ---------------------------------------------------------

  @Test
  void aWebhookMovedOutOfATenantBeforeItsPurgeMaySurvive() {
    webhook("w1", "t0", 0, 10);
    move("w1", "t1", 20, 30, 200);
    purge("t0", 40, 50, 0, 0);
    webhooks.put("w1", "t1");
    assertThat(check()).isEmpty();
  }

  @Test
  void aWebhookMovedIntoATenantBeforeItsPurgeWasSentMustNotSurviveIt() {
    webhook("w1", "t0", 0, 10);
    move("w1", "t1", 20, 30, 200);
    purge("t1", 40, 50, 0, 0);
    webhooks.put("w1", "t1");
    assertThat(check()).anyMatch(v -> v.contains("outlived the purge"));
  }

  @Test
  void aWebhookPurgedMustNotAnswerAWriteSentAfterThePurge() {
    webhook("w1", "t0", 0, 10);
    purge("t0", 20, 30, 0, 1);
    ops.add(op(Kind.WEBHOOK_UPDATE, "t0", "w1", null, 40, 50, 200, "{\"id\":\"w1\"}"));
    assertThat(check()).anyMatch(v -> v.contains("outlived the purge"));
  }

  @Test
  void aMoveOverlappingThePurgeIsAmbiguousAndAssertsNothing() {
    webhook("w1", "t0", 0, 10);
    purge("t0", 20, 40, 0, 0);
    move("w1", "t1", 15, 35, 200);
    webhooks.put("w1", "t1");
    assertThat(check()).isEmpty();
  }

  @Test
  void aRefusedMoveMustNotPlaceTheWebhook() {
    webhook("w1", "t0", 0, 10);
    purge("t1", 15, 40, 0, 0);
    move("w1", "t1", 20, 30, 409);
    webhooks.put("w1", "t1");
    assertThat(check()).anyMatch(v -> v.contains("no acknowledged write placed it"));
  }

  @Test
  void aMovedWebhookMayBeRemovedByAPurgeOfItsNewTenant() {
    webhook("w1", "t0", 0, 10);
    move("w1", "t1", 20, 30, 200);
    purge("t1", 25, 50, 0, 1);
    assertThat(check()).isEmpty();
  }

  @Test
  void aMovedWebhookMustNotVanishThroughAPurgeOfATenantItNeverReached() {
    webhook("w1", "t0", 0, 10);
    move("w1", "t1", 20, 30, 200);
    purge("t2", 40, 50, 0, 1);
    assertThat(check()).anyMatch(v -> v.contains("vanished"));
  }

  @Test
  void aMoveConflictIsExplainedByAPurgeOfItsDestination() {
    webhook("w1", "t0", 0, 10);
    purge("t1", 20, 50, 0, 0);
    ops.add(
        op(
            Kind.WEBHOOK_MOVE,
            "t1",
            "w1",
            null,
            25,
            30,
            409,
            "{\"code\":\"tenant_write_conflict\"}"));
    webhooks.put("w1", "t0");
    assertThat(check()).isEmpty();
  }

  // --- tenant settings ------------------------------------------------------------------------

  @Test
  void settingsWrittenBeforeAPurgeWasSentMustBeGone() {
    settingsWrite("t0", "de-x-a", 0, 10, 200);
    purge("t0", 20, 30, 0, 0);
    settings.put("t0", "de-x-a");
    assertThat(check()).anyMatch(v -> v.contains("settings survived a purge"));
  }

  @Test
  void settingsAcknowledgedAfterTheLastPurgeMustSurvive() {
    purge("t0", 0, 10, 0, 0);
    settingsWrite("t0", "de-x-a", 20, 30, 200);
    assertThat(check()).anyMatch(v -> v.contains("settings acknowledged after the last purge"));
  }

  @Test
  void settingsOverlappingAPurgeMayGoEitherWay() {
    settingsWrite("t0", "de-x-a", 5, 25, 200);
    purge("t0", 10, 20, 0, 0);
    assertThat(check()).isEmpty();
    settings.put("t0", "de-x-a");
    assertThat(check()).isEmpty();
  }

  @Test
  void aLaterAcknowledgedSettingsWriteMustNotBeLost() {
    settingsWrite("t0", "de-x-a", 0, 10, 200);
    settingsWrite("t0", "de-x-b", 20, 30, 200);
    settings.put("t0", "de-x-a");
    assertThat(check()).anyMatch(v -> v.contains("settings write was lost"));
  }

  @Test
  void aRefusedSettingsWriteMustLeaveNoValue() {
    purge("t0", 0, 30, 0, 0);
    settingsWrite("t0", "de-x-a", 10, 20, 409);
    settings.put("t0", "de-x-a");
    assertThat(check()).anyMatch(v -> v.contains("no acknowledged write wrote"));
  }

  List<String> check() {
    return new HistoryChecker(ops, records, webhooks, settings).check();
  }

  void create(String id, String tenant, String submission, long sent, long done) {
    ops.add(op(Kind.CREATE, tenant, submission, "u", sent, done, 201, "{\"id\":\"" + id + "\"}"));
  }

  void webhook(String id, String tenant, long sent, long done) {
    ops.add(
        op(Kind.WEBHOOK_CREATE, tenant, null, null, sent, done, 201, "{\"id\":\"" + id + "\"}"));
  }

  void move(String id, String to, long sent, long done, int status) {
    ops.add(
        op(
            Kind.WEBHOOK_MOVE,
            to,
            id,
            null,
            sent,
            done,
            status,
            status == 200 ? "{\"id\":\"" + id + "\"}" : "{\"code\":\"tenant_write_conflict\"}"));
  }

  void settingsWrite(String tenant, String value, long sent, long done, int status) {
    ops.add(
        op(
            Kind.SETTINGS_PATCH,
            tenant,
            null,
            value,
            sent,
            done,
            status,
            status == 200
                ? "{\"tenant_id\":\"" + tenant + "\"}"
                : "{\"code\":\"tenant_write_conflict\"}"));
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
