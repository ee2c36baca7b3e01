package org.feedbackhub.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.feedbackhub.db.SqlStates;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.feedbackhub.testing.TestTags;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lock module against a real PostgreSQL: which statements it runs, which locks it leaves in
 * {@code pg_locks}, and how each refusal surfaces.
 */
@Tag(TestTags.CONCURRENCY)
class TenantWriteLockTest {
  private static final String OPERATION = "test.write";

  private static PgProbe probe;
  private static ExecutorService executor;

  private final List<String> statements = new CopyOnWriteArrayList<>();
  private MetricRegistry registry;
  private TenantWriteLock lock;
  private Jdbi jdbi;

  @BeforeAll
  static void startProbe() {
    probe = new PgProbe();
    executor = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stopProbe() throws Exception {
    executor.shutdownNow();
    probe.close();
  }

  @BeforeEach
  void setUp() {
    registry = new MetricRegistry();
    lock = new TenantWriteLock(new TenantConflictMetrics(registry), registry);
    jdbi = Jdbi.create(TestDatabase.get().dataSource());
    jdbi.setSqlLogger(
        new SqlLogger() {
          @Override
          public void logBeforeExecution(StatementContext ctx) {
            statements.add(ctx.getRenderedSql() + " " + ctx.getBinding());
          }
        });
  }

  /** The advisory locks this handle's backend holds, as {@code hashtextextended} value → mode. */
  private static Map<Long, String> advisoryLocksOfThisBackend(Handle handle) {
    return handle
        .createQuery(
            """
            SELECT (l.classid::bigint << 32) | l.objid::bigint AS lock_id, l.mode
            FROM pg_locks l
            WHERE l.pid = pg_backend_pid()
              AND l.locktype = 'advisory'
              AND l.objsubid = 1
              AND l.granted
            """)
        .setMapKeyColumn("lock_id")
        .setMapValueColumn("mode")
        .collectInto(new GenericType<Map<Long, String>>() {});
  }

  private static long lockId(Handle handle, String tenantId) {
    return handle
        .createQuery("SELECT hashtextextended(:key, 0)")
        .bind("key", TenantWriteLock.key(tenantId))
        .mapTo(Long.class)
        .one();
  }

  private long counter(String name) {
    return registry.counter(name).getCount();
  }

  @Test
  void lockSharedSortsAndDedupesThenHoldsEachTenantShared() {
    String a = TenantIds.fresh("a");
    String b = TenantIds.fresh("b");
    jdbi.useTransaction(
        handle -> {
          long idA = lockId(handle, a);
          long idB = lockId(handle, b);
          statements.clear();

          lock.lockShared(handle, List.of(b, a, b), OPERATION);

          assertThat(statements).hasSize(2);
          assertThat(statements.get(0)).contains(TenantWriteLock.key(a));
          assertThat(statements.get(1)).contains(TenantWriteLock.key(b));
          assertThat(advisoryLocksOfThisBackend(handle))
              .containsExactlyInAnyOrderEntriesOf(Map.of(idA, "ShareLock", idB, "ShareLock"));
        });
    assertThat(probe.tenantLocks(a, "ShareLock", true)).isZero();
    assertThat(probe.tenantLocks(b, "ShareLock", true)).isZero();
  }

  /**
   * Sorted order is visible in behaviour: with the first tenant refused, the second is never tried.
   */
  @Test
  void lockSharedStopsAtTheFirstRefusedTenantInSortedOrder() throws Exception {
    String a = TenantIds.fresh("a");
    String b = TenantIds.fresh("b");
    try (HeldTenantLock purge = HeldTenantLock.exclusive(a)) {
      jdbi.useTransaction(
          handle -> {
            statements.clear();
            assertThatThrownBy(() -> lock.lockShared(handle, List.of(b, a), OPERATION))
                .isInstanceOf(TenantWriteConflictException.class);
            assertThat(statements).hasSize(1);
            assertThat(advisoryLocksOfThisBackend(handle)).isEmpty();
          });
    }
  }

  @Test
  void zeroTenantsRunNoStatementAndTakeNoLock() {
    jdbi.useTransaction(
        handle -> {
          statements.clear();
          lock.lockShared(handle, List.of(), OPERATION);
          assertThat(statements).isEmpty();
          assertThat(advisoryLocksOfThisBackend(handle)).isEmpty();
        });
  }

  @Test
  void refusedTenantThrowsBeforeTheMutationRuns() throws Exception {
    String tenant = TenantIds.fresh();
    AtomicBoolean mutated = new AtomicBoolean();
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      assertThatThrownBy(
              () ->
                  jdbi.useTransaction(
                      handle -> {
                        lock.lockShared(handle, tenant, "tenant_settings.replace");
                        mutated.set(true);
                        handle.execute(
                            "INSERT INTO tenant_settings (tenant_id) VALUES (?)", tenant);
                      }))
          .isInstanceOfSatisfying(
              TenantWriteConflictException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(TenantConflictKind.WRITER_REFUSED);
                assertThat(e.getMessage())
                    .isEqualTo("tenant data purge in progress for this tenant; retry later");
              });
    }
    assertThat(mutated).isFalse();
    assertThat(probe.count("SELECT count(*) FROM tenant_settings WHERE tenant_id = ?", tenant))
        .isZero();
    assertThat(counter("tenant_write_conflicts.writer_refused.tenant_settings.replace"))
        .isEqualTo(1);
    assertThat(counter("tenant_write_conflicts.writer_refused.total")).isEqualTo(1);
    assertThat(counter("tenant_write_conflicts.total")).isEqualTo(1);
  }

  @Test
  void mutationFailureRollsBackAndReleasesTheSharedLock() {
    String tenant = TenantIds.fresh();
    assertThatThrownBy(
            () ->
                jdbi.useTransaction(
                    handle -> {
                      lock.lockShared(handle, tenant, OPERATION);
                      assertThat(probe.tenantLocks(tenant, "ShareLock", true)).isEqualTo(1);
                      throw new IllegalArgumentException("mutation failed");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(probe.tenantLocks(tenant, "ShareLock", true)).isZero();
  }

  @Test
  void locksRefuseToRunOutsideATransaction() {
    String tenant = TenantIds.fresh();
    jdbi.useHandle(
        handle -> {
          statements.clear();
          assertThatThrownBy(() -> lock.lockShared(handle, tenant, OPERATION))
              .isInstanceOf(IllegalStateException.class);
          assertThatThrownBy(
                  () -> lock.lockExclusiveForPurge(handle, tenant, Duration.ofSeconds(1)))
              .isInstanceOf(IllegalStateException.class);
          assertThat(statements).isEmpty();
          assertThat(advisoryLocksOfThisBackend(handle)).isEmpty();
        });
  }

  /**
   * The purge sets its bounded wait, queues behind the writer in flight, and once granted resets
   * {@code lock_timeout} to 0 so its own row locks are not subject to it.
   */
  @Test
  void purgeLockWaitsForWritersThenResetsLockTimeout() throws Exception {
    String tenant = TenantIds.fresh();
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      CompletableFuture<String> purge =
          CompletableFuture.supplyAsync(
              () ->
                  jdbi.inTransaction(
                      handle -> {
                        lock.lockExclusiveForPurge(handle, tenant, Duration.ofSeconds(5));
                        assertThat(advisoryLocksOfThisBackend(handle))
                            .containsExactlyEntriesOf(
                                Map.of(lockId(handle, tenant), "ExclusiveLock"));
                        return handle.createQuery("SHOW lock_timeout").mapTo(String.class).one();
                      }),
              executor);
      probe.awaitPurgeQueued(tenant);
      assertThat(purge).isNotDone();
      writer.release();
      assertThat(purge.get(PgProbe.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("0");
    }
    assertThat(statements.subList(0, 3))
        .satisfiesExactly(
            first -> assertThat(first).contains("set_config('lock_timeout'").contains("5000"),
            second ->
                assertThat(second)
                    .contains("pg_advisory_xact_lock(")
                    .contains(TenantWriteLock.key(tenant)),
            third -> assertThat(third).contains("set_config('lock_timeout'").contains("0"));
    assertThat(registry.timer("tenant_purge.lock_wait").getCount()).isEqualTo(1);
    assertThat(probe.tenantLocks(tenant, "ExclusiveLock", true)).isZero();
  }

  @Test
  void purgeLockTimeoutIsAPurgeTimedOutConflict() throws Exception {
    String tenant = TenantIds.fresh();
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  jdbi.useTransaction(
                      handle -> lock.lockExclusiveForPurge(handle, tenant, Duration.ofMillis(300))))
          .isInstanceOfSatisfying(
              TenantWriteConflictException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(TenantConflictKind.PURGE_TIMED_OUT);
                assertThat(e.getMessage())
                    .isEqualTo("tenant-owned writes in progress; retry purge later");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThan(Duration.ofMillis(270));
      assertThat(probe.tenantLocks(tenant, "ExclusiveLock", false)).isZero();
      assertThat(probe.tenantLocks(tenant, "ShareLock", true)).isEqualTo(1);
    }
    assertThat(counter("tenant_write_conflicts.purge_timed_out.total")).isEqualTo(1);
    assertThat(counter("tenant_write_conflicts.purge_timed_out.tenant.purge")).isEqualTo(1);
    assertThat(registry.timer("tenant_purge.lock_wait").getCount()).isEqualTo(1);
  }

  /**
   * A lock statement that fails for another reason (here: the transaction is already aborted)
   * surfaces as that error, never as a conflict that would invite a pointless retry.
   */
  @Test
  void lockStatementErrorsInAnAbortedTransactionAreNotConflicts() {
    String tenant = TenantIds.fresh();
    jdbi.useTransaction(
        handle -> {
          assertThatThrownBy(() -> handle.execute("SELECT 1 / 0"))
              .isInstanceOf(UnableToExecuteStatementException.class);
          assertThatThrownBy(() -> lock.lockShared(handle, tenant, OPERATION))
              .isNotInstanceOf(TenantWriteConflictException.class)
              .satisfies(e -> assertThat(SqlStates.of(e)).isEqualTo("25P02"));
          assertThatThrownBy(
                  () -> lock.lockExclusiveForPurge(handle, tenant, Duration.ofSeconds(1)))
              .isNotInstanceOf(TenantWriteConflictException.class)
              .satisfies(e -> assertThat(SqlStates.of(e)).isEqualTo("25P02"));
          handle.rollback();
        });
    assertThat(counter("tenant_write_conflicts.total")).isZero();
  }

  /** Only SQLSTATE 55P03 is a conflict; any other failure of the lock statement stays an error. */
  @Test
  void otherPurgeLockErrorsAreNotConflicts() throws Exception {
    String tenant = TenantIds.fresh();
    try (HeldTenantLock writer = HeldTenantLock.shared(tenant)) {
      assertThatThrownBy(
              () ->
                  jdbi.useTransaction(
                      handle -> {
                        handle.execute("SET LOCAL statement_timeout = '200ms'");
                        lock.lockExclusiveForPurge(handle, tenant, Duration.ofSeconds(5));
                      }))
          .isInstanceOf(UnableToExecuteStatementException.class)
          .isNotInstanceOf(TenantWriteConflictException.class)
          .satisfies(e -> assertThat(SqlStates.of(e)).isEqualTo("57014"));
    }
    assertThat(counter("tenant_write_conflicts.total")).isZero();
  }
}
