package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.feedbackhub.testing.TestDatabase;
import org.feedbackhub.testing.TestTags;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the tenant write lock key, a cross-process contract: every process on the database, in any
 * language, must derive the same key and so the same advisory lock.
 */
@Tag(TestTags.CONCURRENCY)
class TenantWriteLockKeyTest {
  /**
   * Ids that tempt aliasing: separators, spaces, Unicode, and the longest allowed multi-byte id.
   */
  private static final List<String> UNUSUAL_IDS =
      List.of(
          "a",
          "a|b",
          "a:b",
          "1:a",
          "|",
          ":",
          "a b",
          "a  b",
          " a",
          "é",
          "e\u0301",
          "ü",
          "日本語",
          "🙂",
          "tenant_write|1:a",
          "3:a|b",
          "é".repeat(255),
          "é".repeat(254) + "e",
          "日".repeat(255));

  @Test
  void goldenKeysMatchTheReference() {
    assertThat(TenantWriteLock.key("org-123")).isEqualTo("tenant_write|7:org-123");
    assertThat(TenantWriteLock.key("")).isEqualTo("tenant_write|0:");
    assertThat(TenantWriteLock.key("a|b")).isEqualTo("tenant_write|3:a|b");
  }

  @Test
  void lengthPrefixCountsUtf8BytesNotChars() {
    assertThat(TenantWriteLock.key("é")).isEqualTo("tenant_write|2:é");
    assertThat(TenantWriteLock.key("日本語")).isEqualTo("tenant_write|9:日本語");
    assertThat(TenantWriteLock.key("🙂")).isEqualTo("tenant_write|4:🙂");
    assertThat(TenantWriteLock.key("é".repeat(255))).startsWith("tenant_write|510:");
  }

  @Test
  void unusualIdsGiveDistinctKeys() {
    Set<String> keys = new HashSet<>();
    UNUSUAL_IDS.forEach(id -> keys.add(TenantWriteLock.key(id)));
    assertThat(keys).hasSameSizeAs(UNUSUAL_IDS);
  }

  /**
   * The database agrees with Java on the byte length (so a key built in SQL by another process is
   * the same string), and the 64-bit hashes of the distinct keys are distinct.
   */
  @Test
  void databaseDerivesTheSameKeysAndDistinctLockIds() throws Exception {
    List<String> javaKeys = new ArrayList<>();
    UNUSUAL_IDS.forEach(id -> javaKeys.add(TenantWriteLock.key(id)));
    try (Connection c = TestDatabase.get().rawConnection("feedback-hub-test-keys")) {
      try (PreparedStatement encoding = c.prepareStatement("SHOW server_encoding");
          ResultSet rs = encoding.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("UTF8");
      }
      Array ids = c.createArrayOf("text", UNUSUAL_IDS.toArray());
      try (PreparedStatement ps =
          c.prepareStatement(
              """
              SELECT 'tenant_write|' || octet_length(id) || ':' || id
              FROM unnest(?::text[]) WITH ORDINALITY AS t(id, n)
              ORDER BY n
              """)) {
        ps.setArray(1, ids);
        List<String> sqlKeys = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sqlKeys.add(rs.getString(1));
          }
        }
        assertThat(sqlKeys).containsExactlyElementsOf(javaKeys);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(DISTINCT hashtextextended(k, 0)) FROM unnest(?::text[]) AS k")) {
        ps.setArray(1, c.createArrayOf("text", javaKeys.toArray()));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(UNUSUAL_IDS.size());
        }
      }
    }
  }

  /** 0 means "wait forever" to PostgreSQL, so anything below a millisecond becomes 1 ms. */
  @ParameterizedTest
  @CsvSource({"PT0S, 1", "PT-5S, 1", "PT0.000001S, 1", "PT0.0009S, 1", "PT5S, 5000", "PT1S, 1000"})
  void lockTimeoutIsWholeMillisecondsAndNeverZero(String timeout, String expected) {
    assertThat(TenantWriteLock.lockTimeoutMillis(Duration.parse(timeout))).isEqualTo(expected);
  }
}
