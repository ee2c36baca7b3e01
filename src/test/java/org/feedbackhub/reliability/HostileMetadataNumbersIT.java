package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.math.BigDecimal;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metadata numbers are a client's data: stored and returned exactly as sent (no Infinity, no
 * underflow to 0, no rounding), and numbers PostgreSQL cannot store are a {@code 400 validation} on
 * {@code metadata} that writes nothing.
 */
@Tag("reliability")
class HostileMetadataNumbersIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  private static final ObjectMapper EXACT =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static String record(String tenant, String number) {
    return "{\"tenant_id\":\""
        + tenant
        + "\",\"submission_id\":\"s\",\"source_type\":\"survey\",\"field_id\":\"q\","
        + "\"field_type\":\"text\",\"value_text\":\"v\",\"metadata\":{\"n\":"
        + number
        + ",\"list\":["
        + number
        + "]}}";
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e400",
        "-1e400",
        "1e-400",
        "0.1000000000000000055511151231257827",
        "12345678901234567890.123456789012345678901234567890",
        "9007199254740993",
        "1.50"
      })
  void aMetadataNumberIsStoredAndReturnedExactly(String number) throws Exception {
    String tenant = TenantIds.fresh("num");
    Api api = new Api(APP.baseUrl());
    Reply created = api.post("/v1/feedback-records", record(tenant, number));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().path("id").asText();
    assertThat(
            Db.queryLong(
                "SELECT count(*) FROM feedback_records WHERE id = ?::uuid"
                    + " AND (metadata->>'n')::numeric = ?::numeric"
                    + " AND (metadata->'list'->>0)::numeric = ?::numeric",
                id,
                number,
                number))
        .isEqualTo(1);
    JsonNode read = EXACT.readTree(api.get("/v1/feedback-records/" + id).body());
    assertThat(read.path("metadata").path("n").decimalValue())
        .isEqualByComparingTo(new BigDecimal(number));

    Reply patched =
        api.send("PATCH", "/v1/feedback-records/" + id, "{\"metadata\":{\"m\":" + number + "}}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(EXACT.readTree(patched.body()).path("metadata").path("m").decimalValue())
        .isEqualByComparingTo(new BigDecimal(number));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e200000", "-1e200000", "1e-20000"})
  void aNumberPostgresCannotStoreIsAValidationProblem(String number) {
    String tenant = TenantIds.fresh("num");
    Reply reply = new Api(APP.baseUrl()).post("/v1/feedback-records", record(tenant, number));
    assertThat(reply.status()).as(reply.body()).isEqualTo(400);
    assertThat(reply.json().path("code").asText()).isEqualTo("validation");
    assertThat(reply.json().path("invalid_params").path(0).path("name").asText())
        .isEqualTo("metadata");
    assertThat(Db.queryLong("SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant))
        .isZero();
  }
}
