package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.resources.RecordQueries.enrich;
import static org.feedbackhub.resources.RecordQueries.onlyInvalidParam;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.feedbackhub.api.KeysetCursor;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** List order ({@code sort}, {@code order}, then id) and the keyset cursor that records it. */
class FeedbackRecordOrderIT {
  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final RecordQueries Q = new RecordQueries(APP);

  /** A record's name, sort column value and id, to compute the expected order. */
  record Row(String name, String time, String id) {}

  /**
   * Twelve records, seven of them sharing one value of the sort column and three another: every
   * order, paged two at a time, must give each record exactly once in {@code <sort> <order>, id}.
   */
  @ParameterizedTest
  @CsvSource({
    "collected_at, desc",
    "collected_at, asc",
    "created_at, desc",
    "created_at, asc",
    ", asc",
    "created_at, "
  })
  void tiesInTheSortColumnArePagedByIdInEveryOrder(String sort, String order) {
    String tenant = TenantIds.fresh();
    String column = sort == null ? "collected_at" : sort;
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String time =
          i < 7
              ? "2025-03-01T00:00:00Z"
              : i < 10 ? "2025-02-01T00:00:00Z" : "2025-0" + (i - 6) + "-01T00:00:00Z";
      String name = "r" + i;
      String id = Q.create(tenant, name, Map.of());
      enrich(id, column + " = '" + time + "'");
      rows.add(new Row(name, time, id));
    }
    Comparator<Row> byTime = Comparator.comparing(Row::time);
    if (!"asc".equals(order)) {
      byTime = byTime.reversed();
    }
    List<String> expected =
        rows.stream()
            .sorted(byTime.thenComparing(r -> UUID.fromString(r.id())))
            .map(Row::name)
            .toList();
    String query = (sort == null ? "" : "&sort=" + sort) + (order == null ? "" : "&order=" + order);
    assertThat(Q.allPages(tenant, query, 2)).containsExactlyElementsOf(expected);
    assertThat(Q.allPages(tenant, query, 5)).containsExactlyElementsOf(expected);
  }

  @Test
  void theCursorRecordsItsSortAndOrder() {
    String tenant = TenantIds.fresh();
    for (int i = 0; i < 3; i++) {
      Q.create(tenant, "r" + i, Map.of());
    }
    String cursor = nextCursor(tenant, "&sort=created_at&order=asc");
    JsonNode decoded = decode(cursor);
    assertThat(decoded.get("s").asText()).isEqualTo("created_at");
    assertThat(decoded.get("o").asText()).isEqualTo("asc");
    assertThat(decode(nextCursor(tenant, "")).get("s").asText()).isEqualTo("collected_at");

    for (String other :
        List.of("", "&sort=created_at", "&order=asc", "&sort=collected_at&order=asc")) {
      JsonNode param =
          onlyInvalidParam(
              Q.get(
                  "/v1/feedback-records?limit=1&tenant_id="
                      + tenant
                      + other
                      + "&cursor="
                      + cursor));
      assertThat(param.get("name").asText()).isEqualTo("cursor");
      assertThat(param.get("reason").asText()).isEqualTo(KeysetCursor.OTHER_ORDER_REASON);
    }
  }

  @Test
  void aCursorOfTheFirstFormatIsValidOnlyWithTheDefaults() {
    String tenant = TenantIds.fresh();
    for (int i = 0; i < 3; i++) {
      Q.create(tenant, "r" + i, Map.of());
    }
    JsonNode first =
        Q.get("/v1/feedback-records?limit=1&tenant_id=" + tenant).json().get("data").get(0);
    String legacy =
        cursor(
            "{\"t\":\""
                + first.get("collected_at").asText()
                + "\",\"i\":\""
                + first.get("id").asText()
                + "\"}");
    String base = "/v1/feedback-records?limit=10&tenant_id=" + tenant + "&cursor=" + legacy;
    Reply defaults = Q.get(base);
    assertThat(defaults.status()).as(defaults.body()).isEqualTo(200);
    assertThat(defaults.json().get("data")).hasSize(2);
    assertThat(Q.get(base + "&sort=collected_at&order=desc").status()).isEqualTo(200);
    assertThat(onlyInvalidParam(Q.get(base + "&order=asc")).get("name").asText())
        .isEqualTo("cursor");
    assertThat(onlyInvalidParam(Q.get(base + "&sort=created_at")).get("name").asText())
        .isEqualTo("cursor");
  }

  /** Issue 19 item 4: decoded cursors are checked for type and PostgreSQL's timestamp range. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"t\":\"+294277-01-01T00:00:00Z\",\"i\":\"00000000-0000-7000-8000-000000000000\"}",
        "{\"t\":\"-4714-01-01T00:00:00Z\",\"i\":\"00000000-0000-7000-8000-000000000000\"}",
        "{\"t\":\"+10000-01-01T00:00:00Z\",\"i\":\"00000000-0000-7000-8000-000000000000\"}",
        "{\"t\":\"0000-12-31T23:59:59Z\",\"i\":\"00000000-0000-7000-8000-000000000000\"}",
        "{\"t\":\"2025-01-01T00:00:00.123456789Z\",\"i\":\"00000000-0000-7000-8000-000000000000\"}",
        "{\"t\":\"2025-01-01T00:00:00Z\",\"i\":\"1-2-3-4-5\"}",
        "{\"t\":12345,\"i\":\"00000000-0000-7000-8000-000000000000\"}",
        "{\"t\":\"2025-01-01T00:00:00Z\",\"i\":\"00000000-0000-7000-8000-000000000000\",\"s\":1}",
        "{\"t\":\"2025-01-01T00:00:00Z\",\"i\":\"00000000-0000-7000-8000-000000000000\",\"o\":null}",
        "[\"2025-01-01T00:00:00Z\"]",
        "\"x\""
      })
  void malformedOrOutOfRangeCursorsAre400OnRecordsAndWebhooks(String json) {
    String cursor = cursor(json);
    String tenant = TenantIds.fresh();
    for (String path :
        List.of(
            "/v1/feedback-records?tenant_id=" + tenant + "&cursor=",
            "/v1/feedback-records?tenant_id=" + tenant + "&sort=created_at&cursor=",
            "/v1/webhooks?cursor=",
            "/v1/webhooks?tenant_id=" + tenant + "&cursor=")) {
      JsonNode param = onlyInvalidParam(Q.get(path + cursor));
      assertThat(param.get("name").asText()).isEqualTo("cursor");
      assertThat(param.get("reason").asText()).isEqualTo(KeysetCursor.INVALID_REASON);
    }
  }

  @Test
  void cursorsAtTheEdgesOfTheAcceptedRangeAreAccepted() {
    String tenant = TenantIds.fresh();
    Q.create(tenant, "r", Map.of());
    String id = "\"i\":\"00000000-0000-7000-8000-000000000000\"";
    String latest = cursor("{\"t\":\"9999-12-31T23:59:59.999999Z\"," + id + "}");
    String earliest = cursor("{\"t\":\"0001-01-01T00:00:00Z\"," + id + "}");
    Reply desc = Q.get("/v1/feedback-records?tenant_id=" + tenant + "&cursor=" + latest);
    assertThat(desc.status()).as(desc.body()).isEqualTo(200);
    assertThat(desc.json().get("data")).hasSize(1);
    Reply webhooks = Q.get("/v1/webhooks?tenant_id=" + tenant + "&cursor=" + earliest);
    assertThat(webhooks.status()).as(webhooks.body()).isEqualTo(200);
  }

  private static String nextCursor(String tenant, String query) {
    Reply reply = Q.get("/v1/feedback-records?limit=1&tenant_id=" + tenant + query);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().get("next_cursor").asText();
  }

  private static String cursor(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode decode(String cursor) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(Base64.getUrlDecoder().decode(cursor));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
