package org.feedbackhub.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {
  @Test
  void versionSevenRfcVariant() {
    for (int i = 0; i < 1000; i++) {
      UUID id = UuidV7.next();
      assertThat(id.version()).isEqualTo(7);
      assertThat(id.variant()).isEqualTo(2);
      assertThat(id.toString().charAt(14)).isEqualTo('7');
    }
  }

  @Test
  void carriesTheCurrentUnixMilliseconds() {
    long before = System.currentTimeMillis();
    UUID id = UuidV7.next();
    long after = System.currentTimeMillis();
    assertThat(millis(id)).isBetween(before, after);
  }

  @Test
  void laterMillisecondsSortLaterAsUuidAndAsText() {
    UUID earlier = UuidV7.next();
    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> System.currentTimeMillis() > millis(earlier));
    UUID later = UuidV7.next();
    assertThat(millis(later)).isGreaterThan(millis(earlier));
    assertThat(later).isGreaterThan(earlier);
    assertThat(later.toString()).isGreaterThan(earlier.toString());
  }

  @Test
  void randomBitsMakeThemUniqueWithinAMillisecond() {
    Set<UUID> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(UuidV7.next());
    }
    assertThat(ids).hasSize(10_000);
  }

  private static long millis(UUID id) {
    return id.getMostSignificantBits() >>> 16;
  }
}
