package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.resources.RecordQueries.enc;
import static org.feedbackhub.resources.RecordQueries.enrich;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.Map;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The list and count filters of api-next.md E, each against records that must and must not match.
 */
class FeedbackRecordFiltersIT {
  static final HubApp APP = HubApp.builder().set("webhooks.dispatcherEnabled", "false").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final RecordQueries Q = new RecordQueries(APP);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "submission_id",
        "source_type",
        "source_id",
        "source_name",
        "field_id",
        "field_group_id",
        "value_id",
        "user_id",
        "language"
      })
  void freeTextFiltersRepeatAsOrAndKeepCommasInTheValue(String param) {
    String tenant = TenantIds.fresh();
    for (String value : new String[] {"a", "b", "c", "a,b"}) {
      Map<String, Object> fields = param.equals("submission_id") ? Map.of() : Map.of(param, value);
      Q.create(tenant, param.equals("submission_id") ? value : "s-" + value, fields);
    }
    String name = param.equals("submission_id") ? "" : "s-";
    assertThat(Q.names(tenant, "&" + param + "=a&" + param + "=b"))
        .containsExactlyInAnyOrder(name + "a", name + "b");
    assertThat(Q.count(tenant, "&" + param + "=a&" + param + "=b")).isEqualTo(2);
    // A comma is part of a free-text value: a%2Cb matches only the record whose value is "a,b".
    assertThat(Q.names(tenant, "&" + param + "=a%2Cb")).containsExactly(name + "a,b");
    assertThat(Q.count(tenant, "&" + param + "=c")).isEqualTo(1);
  }

  @Test
  void filtersAndAcrossParameters() {
    String tenant = TenantIds.fresh();
    Q.create(tenant, "a1", Map.of("field_id", "a", "source_type", "s1"));
    Q.create(tenant, "a2", Map.of("field_id", "a", "source_type", "s2"));
    Q.create(tenant, "b1", Map.of("field_id", "b", "source_type", "s1"));
    Q.create(tenant, "c1", Map.of("field_id", "c", "source_type", "s1"));
    Q.create(TenantIds.fresh(), "a1", Map.of("field_id", "a", "source_type", "s1"));
    String query = "&field_id=a&field_id=b&source_type=s1";
    assertThat(Q.names(tenant, query)).containsExactlyInAnyOrder("a1", "b1");
    assertThat(Q.count(tenant, query)).isEqualTo(2);
  }

  @Test
  void enumFiltersSplitCommasAndIgnoreEmptyValues() {
    String tenant = TenantIds.fresh();
    Q.create(tenant, "text", Map.of());
    Q.create(tenant, "nps", Map.of("field_type", "nps", "value_number", 9));
    Q.create(tenant, "rating", Map.of("field_type", "rating", "value_number", 4));
    assertThat(Q.names(tenant, "&field_type=text%2Cnps")).containsExactlyInAnyOrder("text", "nps");
    assertThat(Q.names(tenant, "&field_type=text,nps")).containsExactlyInAnyOrder("text", "nps");
    assertThat(Q.names(tenant, "&field_type=text&field_type=rating"))
        .containsExactlyInAnyOrder("text", "rating");
    assertThat(Q.count(tenant, "&field_type=nps%2C%2C")).isEqualTo(1);
    assertThat(Q.count(tenant, "&field_type=")).isEqualTo(3);
    assertThat(Q.count(tenant, "&sentiment=&emotions=")).isEqualTo(3);
  }

  @Test
  void sentimentAndEmotionsMatchAnyGivenLabel() {
    String tenant = TenantIds.fresh();
    enrich(Q.create(tenant, "neg", Map.of()), "sentiment = 'negative', sentiment_score = -0.6");
    enrich(Q.create(tenant, "pos", Map.of()), "sentiment = 'positive', sentiment_score = 0.7");
    enrich(Q.create(tenant, "joy", Map.of()), "emotions = '{joy,surprise}'");
    enrich(Q.create(tenant, "fear", Map.of()), "emotions = '{fear}'");
    Q.create(tenant, "plain", Map.of());
    assertThat(Q.names(tenant, "&sentiment=negative")).containsExactly("neg");
    assertThat(Q.names(tenant, "&sentiment=negative%2Cpositive"))
        .containsExactlyInAnyOrder("neg", "pos");
    assertThat(Q.names(tenant, "&emotions=surprise")).containsExactly("joy");
    assertThat(Q.names(tenant, "&emotions=fear%2Csurprise"))
        .containsExactlyInAnyOrder("joy", "fear");
    assertThat(Q.count(tenant, "&emotions=anger&emotions=fear")).isEqualTo(1);
  }

  @Test
  void theOfficialClientsQueryStringsWork() {
    // @formbricks/hub 0.13.0 joins arrays with commas, encodes them, and omits empty arrays.
    String tenant = TenantIds.fresh();
    enrich(Q.create(tenant, "neg", Map.of()), "sentiment = 'negative', sentiment_score = -0.5");
    Q.create(tenant, "nps", Map.of("field_type", "nps", "value_number", 3));
    Q.create(tenant, "date", Map.of("field_type", "date", "value_date", "2025-01-01T00:00:00Z"));
    assertThat(Q.names(tenant, "&field_type=text%2Cnps&limit=50"))
        .containsExactlyInAnyOrder("neg", "nps");
    assertThat(Q.names(tenant, "&sentiment=negative")).containsExactly("neg");
    assertThat(Q.count(tenant, "&field_type=text%2Cnps&sentiment=negative")).isEqualTo(1);
    assertThat(Q.names(tenant, "&limit=50")).hasSize(3);
  }

  @Test
  void rangesAreInclusiveAndExcludeNulls() {
    String tenant = TenantIds.fresh();
    Q.create(tenant, "n1", Map.of("field_type", "number", "value_number", 1));
    Q.create(tenant, "n5", Map.of("field_type", "number", "value_number", 5));
    Q.create(tenant, "n9", Map.of("field_type", "number", "value_number", 9));
    Q.create(tenant, "d1", Map.of("field_type", "date", "value_date", "2025-01-01T00:00:00Z"));
    Q.create(tenant, "d2", Map.of("field_type", "date", "value_date", "2025-02-01T00:00:00Z"));
    Q.create(tenant, "none", Map.of());
    assertThat(Q.names(tenant, "&value_number_min=5")).containsExactlyInAnyOrder("n5", "n9");
    assertThat(Q.names(tenant, "&value_number_max=5")).containsExactlyInAnyOrder("n1", "n5");
    assertThat(Q.names(tenant, "&value_number_min=5&value_number_max=5")).containsExactly("n5");
    assertThat(Q.count(tenant, "&value_number_min=-1e15")).isEqualTo(3);
    assertThat(Q.names(tenant, "&value_date_min=2025-02-01T00:00:00Z")).containsExactly("d2");
    assertThat(Q.names(tenant, "&value_date_max=" + enc("2025-01-01T01:00:00+01:00")))
        .containsExactly("d1");
    assertThat(Q.count(tenant, "&value_date_min=1970-01-01T00:00:00Z")).isEqualTo(2);
  }

  @Test
  void sentimentScoreRangeExcludesUnenrichedRecords() {
    String tenant = TenantIds.fresh();
    enrich(Q.create(tenant, "low", Map.of()), "sentiment = 'negative', sentiment_score = -1");
    enrich(Q.create(tenant, "mid", Map.of()), "sentiment = 'neutral', sentiment_score = 0");
    enrich(Q.create(tenant, "high", Map.of()), "sentiment = 'positive', sentiment_score = 1");
    Q.create(tenant, "plain", Map.of());
    assertThat(Q.names(tenant, "&sentiment_score_min=0")).containsExactlyInAnyOrder("mid", "high");
    assertThat(Q.names(tenant, "&sentiment_score_max=0")).containsExactlyInAnyOrder("low", "mid");
    assertThat(Q.count(tenant, "&sentiment_score_min=-1&sentiment_score_max=1")).isEqualTo(3);
  }

  @Test
  void timeWindowsOfCollectedCreatedAndUpdatedAt() {
    String tenant = TenantIds.fresh();
    String jan = Q.create(tenant, "jan", Map.of("collected_at", "2025-01-15T00:00:00Z"));
    String feb = Q.create(tenant, "feb", Map.of("collected_at", "2025-02-15T00:00:00Z"));
    enrich(jan, "created_at = '2025-03-01T00:00:00Z', updated_at = '2025-05-01T00:00:00Z'");
    enrich(feb, "created_at = '2025-04-01T00:00:00Z', updated_at = '2025-04-01T00:00:00Z'");
    assertThat(Q.names(tenant, "&since=2025-02-15T00:00:00Z")).containsExactly("feb");
    assertThat(Q.names(tenant, "&until=2025-01-15T00:00:00Z")).containsExactly("jan");
    assertThat(Q.names(tenant, "&created_since=2025-04-01T00:00:00Z")).containsExactly("feb");
    assertThat(Q.names(tenant, "&created_until=2025-03-01T00:00:00Z")).containsExactly("jan");
    assertThat(Q.names(tenant, "&updated_since=2025-04-02T00:00:00Z")).containsExactly("jan");
    assertThat(Q.names(tenant, "&updated_until=2025-04-01T00:00:00Z")).containsExactly("feb");
    assertThat(
            Q.count(
                tenant,
                "&created_since=2025-03-01T00:00:00Z&created_until=2025-04-01T00:00:00Z"
                    + "&updated_since=2025-04-01T00:00:00Z"))
        .isEqualTo(2);
  }

  @Test
  void presenceFiltersTestTheEnrichmentColumns() {
    String tenant = TenantIds.fresh();
    enrich(Q.create(tenant, "sent", Map.of()), "sentiment = 'mixed', sentiment_score = 0.1");
    enrich(Q.create(tenant, "emo", Map.of()), "emotions = '{anger}'");
    enrich(
        Q.create(tenant, "tr", Map.of("language", "de")),
        "value_text_translated = 'hello', translation_lang_key = 'en'");
    Q.create(tenant, "plain", Map.of("language", "de"));
    assertThat(Q.names(tenant, "&has_sentiment=true")).containsExactly("sent");
    assertThat(Q.count(tenant, "&has_sentiment=false")).isEqualTo(3);
    assertThat(Q.names(tenant, "&has_emotions=true")).containsExactly("emo");
    assertThat(Q.count(tenant, "&has_emotions=false")).isEqualTo(3);
    assertThat(Q.names(tenant, "&has_translation=true")).containsExactly("tr");
    assertThat(Q.names(tenant, "&has_translation=false&language=de")).containsExactly("plain");
  }
}
