package org.feedbackhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeysetCursorTest {
  static final UUID ID = UUID.fromString("0192b4e0-0000-7000-8000-000000000001");

  @Test
  void roundTripsWithSortAndOrder() {
    KeysetCursor cursor =
        new KeysetCursor(Instant.parse("2025-01-02T03:04:05.123456Z"), ID, "created_at", "asc");
    assertThat(KeysetCursor.decode(cursor.encode(), "created_at", "asc", false)).isEqualTo(cursor);
  }

  @Test
  void aCursorWithoutSortAndOrderStandsForTheDefaults() {
    String legacy = new KeysetCursor(Instant.parse("2025-01-02T03:04:05Z"), ID).encode();
    assertThat(KeysetCursor.decode(legacy, "collected_at", "desc", true).id()).isEqualTo(ID);
    assertThatThrownBy(() -> KeysetCursor.decode(legacy, "collected_at", "asc", false))
        .isInstanceOf(ProblemException.class)
        .satisfies(
            e ->
                assertThat(((ProblemException) e).invalidParams().get(0).reason())
                    .isEqualTo(KeysetCursor.OTHER_ORDER_REASON));
  }

  @Test
  void theAcceptedRangeEndsAreInclusive() {
    assertThat(decode("0001-01-01T00:00:00Z")).isEqualTo(KeysetCursor.EARLIEST);
    assertThat(decode("9999-12-31T23:59:59.999999Z")).isEqualTo(KeysetCursor.LATEST);
    assertThat(decode("2025-01-01T00:00:00+02:00"))
        .isEqualTo(Instant.parse("2024-12-31T22:00:00Z"));
    for (String outside :
        new String[] {
          "+294277-01-01T00:00:00Z", "-4714-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"
        }) {
      assertThatThrownBy(() -> decode(outside)).isInstanceOf(ProblemException.class);
    }
  }

  private static Instant decode(String t) {
    String json = "{\"t\":\"" + t + "\",\"i\":\"" + ID + "\"}";
    String raw =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    return KeysetCursor.decode(raw, "collected_at", "desc", true).timestamp();
  }
}
