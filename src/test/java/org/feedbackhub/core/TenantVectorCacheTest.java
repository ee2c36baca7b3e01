package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The search cache's bounds against real PostgreSQL: entries (least recently used dropped first),
 * vectors across tenants, and no entry for a tenant without vectors.
 */
class TenantVectorCacheTest {
  static final String MODEL = "cache-test-model-" + UUID.randomUUID();

  /**
   * One connection for the whole test, as a pool would keep one: the test database's data source
   * opens a connection per use, which would dominate 20,000 queries.
   */
  final Connection connection = TestDatabase.get().rawConnection("vector-cache-test");

  final Jdbi jdbi =
      Jdbi.create(
              new ConnectionFactory() {
                @Override
                public Connection openConnection() {
                  return connection;
                }

                @Override
                public void closeConnection(Connection toClose) {
                  // kept for the next use; closed after the test
                }
              })
          .installPlugin(new SqlObjectPlugin())
          .installPlugin(new PostgresPlugin());

  TenantVectorCacheTest() throws SQLException {}

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  /** {@code tenants} tenants named prefix-0 .. prefix-(n-1), each with {@code vectors} vectors. */
  static void fill(String prefix, int tenants, int vectors) {
    Db.execute(
        "INSERT INTO feedback_records (source_type, field_id, field_type, submission_id, tenant_id,"
            + " value_text) SELECT 't', 'q', 'text', 's-' || t || '-' || v, ? || '-' || t, 'x'"
            + " FROM generate_series(0, ? - 1) AS t, generate_series(1, ?) AS v",
        prefix,
        tenants,
        vectors);
    Db.execute(
        "INSERT INTO embeddings (feedback_record_id, embedding, model) SELECT id,"
            + " ARRAY[1, random(), random()]::real[], ? FROM feedback_records WHERE tenant_id"
            + " LIKE ? || '-%'",
        MODEL, prefix);
  }

  TenantVectorCache cache(int maxVectors, int maxTenants) {
    return new TenantVectorCache(jdbi, maxVectors, maxTenants, Duration.ZERO, Runnable::run);
  }

  @Test
  void tenThousandTenantsStayWithinTheEntryBoundLeastRecentlyUsedFirst() {
    String prefix = TenantIds.fresh("lru");
    fill(prefix, 10_000, 1);
    TenantVectorCache cache = cache(1_000_000, 100);
    int largest = 0;
    for (int t = 0; t < 10_000; t++) {
      assertThat(cache.get(prefix + "-" + t, MODEL).size()).isEqualTo(1);
      if (t % 10 == 0) {
        cache.get(prefix + "-0", MODEL); // kept in use throughout
      }
      largest = Math.max(largest, cache.entries());
    }
    assertThat(largest).isEqualTo(100);
    assertThat(cache.size()).isEqualTo(100);
    assertThat(cache.holds(prefix + "-0", MODEL)).as("recently used").isTrue();
    assertThat(cache.holds(prefix + "-9999", MODEL)).isTrue();
    assertThat(cache.holds(prefix + "-9899", MODEL)).as("least recently used").isFalse();
    assertThat(cache.holds(prefix + "-1", MODEL)).isFalse();
  }

  @Test
  void tenantsWithoutVectorsLeaveNoEntry() {
    TenantVectorCache cache = cache(1000, 100);
    for (int t = 0; t < 500; t++) {
      assertThat(cache.get(TenantIds.fresh("empty"), MODEL).size()).isZero();
    }
    String tenant = TenantIds.fresh();
    Db.execute(
        "INSERT INTO feedback_records (source_type, field_id, field_type, submission_id, tenant_id,"
            + " value_text) VALUES ('t', 'q', 'text', 's', ?, 'x')",
        tenant);
    assertThat(cache.get(tenant, MODEL).size()).as("a record, but no vector").isZero();
    assertThat(cache.entries()).isZero();
    assertThat(cache.size()).isZero();
  }

  @Test
  void theVectorBudgetDropsWholeTenantsAndABiggerTenantStreams() {
    String prefix = TenantIds.fresh("budget");
    fill(prefix, 4, 2);
    String big = TenantIds.fresh("big");
    fill(big, 1, 6);
    TenantVectorCache cache = cache(5, 100);
    for (int t = 0; t < 4; t++) {
      assertThat(cache.get(prefix + "-" + t, MODEL).size()).isEqualTo(2);
      assertThat(cache.size()).isLessThanOrEqualTo(5);
    }
    assertThat(cache.entries()).isEqualTo(2);
    assertThat(List.of(cache.holds(prefix + "-2", MODEL), cache.holds(prefix + "-3", MODEL)))
        .containsOnly(true);
    assertThat(cache.get(big + "-0", MODEL)).as("more than the whole budget: streamed").isNull();
    assertThat(cache.entries()).isEqualTo(2);
    assertThat(cache.size()).isEqualTo(4);
  }
}
