package org.feedbackhub.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The concurrency suite runs on the PostgreSQL major its Maven profile names; without this check a
 * profile that silently fell back to the default binaries would pass for the wrong server.
 */
@Tag(TestTags.CONCURRENCY)
class PostgresVersionTest {
  @Test
  void embeddedServerIsTheProfilesMajorVersion() {
    String external = System.getenv("TEST_DATABASE_URL");
    assumeTrue(external == null || external.isBlank(), "TEST_DATABASE_URL picks the server");
    String expected = System.getProperty("pg.major");
    assumeTrue(expected != null && !expected.isBlank(), "run through Maven, which sets pg.major");
    assertThat(TestDatabase.get().majorVersion()).isEqualTo(Integer.parseInt(expected));
  }
}
