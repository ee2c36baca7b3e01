package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.resources.RecordQueries.onlyInvalidParam;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.Map;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad list or count parameter is a 400 {@code validation} problem whose one {@code
 * invalid_params} entry names it, on list and on count, and nothing is written.
 */
class FeedbackRecordQueryValidationIT {
  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final RecordQueries Q = new RecordQueries(APP);
  static final String TENANT = TenantIds.fresh();

  @BeforeAll
  static void seed() {
    Q.create(TENANT, "seed", Map.of());
  }

  static String repeated(String param, String value, int times) {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < times; i++) {
      query.append('&').append(param).append('=').append(value).append(i);
    }
    return query.toString();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "submission_id | &submission_id=a%00b | must not contain NULL bytes",
        "source_name | &source_name=%00 | must not contain NULL bytes",
        "language | &language=abcdefghijk | must be at most 10",
        "field_type | &field_type=text%2Cbogus | must be one of: text, categorical, nps, csat, ces, rating, number, boolean, date",
        "field_type | &field_type=TEXT | must be one of: text, categorical, nps, csat, ces, rating, number, boolean, date",
        "field_type | &field_type=text,nps,csat,ces,rating,number,boolean,date,text,nps | must have at most 9 values",
        "sentiment | &sentiment=happy | must be one of: very_negative, negative, neutral, positive, very_positive, mixed",
        "sentiment | &sentiment=negative&sentiment=negative%2Cmixed%2Cneutral%2Cpositive%2Cnegative%2Cmixed | must have at most 6 values",
        "emotions | &emotions=joy%2Clove | must be one of: joy, anger, sadness, fear, surprise, disgust",
        "emotions | &emotions=joy,joy,joy,joy,joy,joy,joy | must have at most 6 values",
        "since | &since=yesterday | must be in RFC3339 (ISO 8601) format",
        "created_since | &created_since=2025-13-01T00:00:00Z | must be in RFC3339 (ISO 8601) format",
        "created_until | &created_until=2025-01-01 | must be in RFC3339 (ISO 8601) format",
        "updated_since | &updated_since=1969-12-31T23:59:59Z | must be between 1970-01-01 and 2080-12-31",
        "updated_until | &updated_until=x | must be in RFC3339 (ISO 8601) format",
        "value_date_min | &value_date_min=now | must be in RFC3339 (ISO 8601) format",
        "value_date_max | &value_date_max=9999-01-01T00:00:00Z | must be between 1970-01-01 and 2080-12-31",
        "value_number_min | &value_number_min=abc | must be a valid number",
        "value_number_min | &value_number_min=1e400 | must be a valid number",
        "value_number_max | &value_number_max=NaN | must be a valid number",
        "value_number_max | &value_number_max=0x10 | must be a valid number",
        "value_number_max | &value_number_max=1d | must be a valid number",
        "value_number_min | &value_number_min=%201 | must be a valid number",
        "value_number_min | &value_number_min=2e15 | must be between -1e15 and 1e15",
        "sentiment_score_min | &sentiment_score_min=-1.5 | must be between -1 and 1",
        "sentiment_score_max | &sentiment_score_max=2 | must be between -1 and 1",
        "has_sentiment | &has_sentiment=yes | must be a valid boolean",
        "has_emotions | &has_emotions=1 | must be a valid boolean",
        "has_translation | &has_translation=maybe | must be a valid boolean",
        "since | &since=2025-02-01T00:00:00Z&until=2025-01-01T00:00:00Z | must not be greater than until",
        "created_since | &created_since=2025-02-01T00:00:00Z&created_until=2025-01-01T00:00:00Z | must not be greater than created_until",
        "updated_since | &updated_since=2025-02-01T00:00:00Z&updated_until=2025-01-01T00:00:00Z | must not be greater than updated_until",
        "value_number_min | &value_number_min=5&value_number_max=4.99 | must not be greater than value_number_max",
        "value_date_min | &value_date_min=2025-02-01T00:00:00Z&value_date_max=2025-01-01T00:00:00Z | must not be greater than value_date_max",
        "sentiment_score_min | &sentiment_score_min=0.5&sentiment_score_max=-0.5 | must not be greater than sentiment_score_max"
      })
  void badFilterIsA400NamingTheParameterOnListAndCount(String name, String query, String reason) {
    String before = rows();
    for (String path : new String[] {"/v1/feedback-records", "/v1/feedback-records/count"}) {
      Reply reply = Q.get(path + "?tenant_id=" + TENANT + query);
      JsonNode param = onlyInvalidParam(reply);
      assertThat(param.get("name").asText()).isEqualTo(name);
      assertThat(param.get("reason").asText()).isEqualTo(reason);
    }
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void moreThanAHundredValuesOrAnOverlongValueIsOneError() {
    for (String param : new String[] {"field_id", "user_id", "source_name", "language"}) {
      JsonNode tooMany =
          onlyInvalidParam(
              Q.get("/v1/feedback-records?tenant_id=" + TENANT + repeated(param, "v", 101)));
      assertThat(tooMany.get("name").asText()).isEqualTo(param);
      assertThat(tooMany.get("reason").asText()).isEqualTo("must have at most 100 values");
    }
    assertThat(Q.count(TENANT, repeated("field_id", "v", 100))).isZero();
    String overlong = "x".repeat(256);
    JsonNode param =
        onlyInvalidParam(
            Q.get(
                "/v1/feedback-records/count?tenant_id="
                    + TENANT
                    + "&field_id="
                    + overlong
                    + "&field_id="
                    + overlong));
    assertThat(param.get("name").asText()).isEqualTo("field_id");
    assertThat(param.get("reason").asText()).isEqualTo("must be at most 255");
    assertThat(Q.count(TENANT, "&field_id=" + "x".repeat(255))).isZero();
  }

  @Test
  void sortAndOrderAreCheckedOnListAndIgnoredOnCount() {
    JsonNode sort =
        onlyInvalidParam(Q.get("/v1/feedback-records?tenant_id=" + TENANT + "&sort=id"));
    assertThat(sort.get("name").asText()).isEqualTo("sort");
    assertThat(sort.get("reason").asText()).isEqualTo("must be one of: collected_at, created_at");
    JsonNode order =
        onlyInvalidParam(Q.get("/v1/feedback-records?tenant_id=" + TENANT + "&order=DESC"));
    assertThat(order.get("name").asText()).isEqualTo("order");
    assertThat(order.get("reason").asText()).isEqualTo("must be one of: desc, asc");
    assertThat(
            onlyInvalidParam(
                    Q.get(
                        "/v1/feedback-records?tenant_id="
                            + TENANT
                            + "&sort=created_at%2Ccollected_at"))
                .get("name")
                .asText())
        .isEqualTo("sort");
    assertThat(Q.count(TENANT, "&sort=bogus&order=sideways&limit=0&cursor=x")).isEqualTo(1);
    assertThat(Q.names(TENANT, "&sort=&order=")).containsExactly("seed");
  }

  @Test
  void everyErrorOfOneRequestIsReported() {
    Reply reply =
        Q.get(
            "/v1/feedback-records?tenant_id="
                + TENANT
                + "&sentiment=bad&value_number_min=x&sort=x&has_emotions=x");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().get("invalid_params").findValuesAsText("name"))
        .containsExactlyInAnyOrder("sentiment", "value_number_min", "has_emotions", "sort");
  }

  private static String rows() {
    return String.join(
        "\n",
        Db.queryStrings(
            "SELECT f::text FROM feedback_records f WHERE tenant_id = ? ORDER BY id", TENANT));
  }
}
