package org.feedbackhub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Search paging: clamped limit and min_score, and the {"d", "i"} cursor. */
class SimilarityPageTest {
  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void clampsAndFallsBackToDefaults() {
    assertThat(SimilarityPage.parse(null, null, null)).isEqualTo(new SimilarityPage(10, 0.7, null));
    assertThat(SimilarityPage.parse("abc", "x", "").limit()).isEqualTo(10);
    assertThat(SimilarityPage.parse("abc", "x", "").minScore()).isEqualTo(0.7);
    assertThat(SimilarityPage.parse("500", "1.5", null))
        .isEqualTo(new SimilarityPage(100, 1, null));
    assertThat(SimilarityPage.parse("-3", "-1", null)).isEqualTo(new SimilarityPage(1, 0, null));
    assertThat(SimilarityPage.parse("25", "0.25", null))
        .isEqualTo(new SimilarityPage(25, 0.25, null));
  }

  @Test
  void cursorsRoundTripAndBadOnesAreValidationErrors() {
    SimilarityCursor cursor = new SimilarityCursor(0.123456789, UUID.randomUUID());
    assertThat(SimilarityCursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThat(SimilarityCursor.decode(b64("{\"d\":1.5,\"i\":\"" + cursor.id() + "\"}")).distance())
        .isEqualTo(1.5);
    for (String bad :
        new String[] {
          "%%%",
          b64("{\"d\":2.5,\"i\":\"" + cursor.id() + "\"}"),
          b64("{\"d\":-0.1,\"i\":\"" + cursor.id() + "\"}"),
          b64("{\"d\":\"0.1\",\"i\":\"" + cursor.id() + "\"}"),
          b64("{\"d\":0.1,\"i\":\"nope\"}"),
          b64("{\"t\":\"2024-01-01T00:00:00Z\",\"i\":\"" + cursor.id() + "\"}")
        }) {
      assertThatThrownBy(() -> SimilarityCursor.decode(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              ProblemException.class,
              e -> assertThat(e.invalidParams().get(0).name()).isEqualTo("cursor"));
    }
  }
}
