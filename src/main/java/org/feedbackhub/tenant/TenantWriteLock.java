package org.feedbackhub.tenant;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The tenant write lock, the single source of truth for its key, its SQL and its error. Writers
 * take the tenant's key in shared mode with a try-lock and never wait; a purge takes it exclusively
 * and waits a bounded time. Both are transaction-scoped, so they live exactly as long as the write.
 *
 * @implNote PostgreSQL grants no new shared request while an exclusive one is queued, so from the
 *     moment a purge starts waiting, new writers of that tenant fail fast while writers in flight
 *     drain. The key is hashed in SQL ({@code hashtextextended(key, 0)}) so that every process on
 *     the database, whatever its language, derives the same 64-bit lock id.
 */
public final class TenantWriteLock {
  /**
   * The condition a single-statement gated insert puts in its {@code WHERE}; the statement binds
   * the key (from {@link #key}) as {@code :lockKey}. No row inserted means the lock was refused.
   */
  public static final String GATE =
      "pg_try_advisory_xact_lock_shared(hashtextextended(:lockKey, 0))";

  private static final String TRY_LOCK_SHARED =
      "SELECT pg_try_advisory_xact_lock_shared(hashtextextended(:key, 0))";
  private static final String LOCK_EXCLUSIVE =
      "SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))";
  private static final String SET_LOCK_TIMEOUT = "SELECT set_config('lock_timeout', :millis, true)";

  /** {@code lock_not_available}: the purge's {@code lock_timeout} expired. */
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final TenantConflictMetrics metrics;
  private final Timer purgeLockWait;
  private final Consumer<String> lockedTenants;

  public TenantWriteLock(TenantConflictMetrics metrics, MetricRegistry registry) {
    this(metrics, registry, tenantId -> {});
  }

  /**
   * @param lockedTenants told every tenant id this lock is about to take a key for, before the SQL
   *     runs; the lock monitor uses it to name the tenant behind a key in {@code pg_locks}, which
   *     only shows the hash. It must be cheap and must not throw.
   */
  public TenantWriteLock(
      TenantConflictMetrics metrics, MetricRegistry registry, Consumer<String> lockedTenants) {
    this.metrics = metrics;
    this.purgeLockWait = registry.timer("tenant_purge.lock_wait");
    this.lockedTenants = lockedTenants;
  }

  /**
   * The lock key of a tenant: {@code tenant_write|<UTF-8 byte length>:<id>}. The length prefix
   * stops distinct ids from aliasing; it counts bytes, not chars, to match the reference's Go
   * {@code len}.
   */
  public static String key(String tenantId) {
    return "tenant_write|" + tenantId.getBytes(StandardCharsets.UTF_8).length + ":" + tenantId;
  }

  /**
   * The key a single-statement gated write binds as {@code :lockKey} for {@link #GATE}, after
   * naming {@code tenantId} to this lock's listener as {@link #lockShared} does, so the lock
   * monitor can name the tenant of a create too.
   */
  public String gateKey(String tenantId) {
    lockedTenants.accept(tenantId);
    return key(tenantId);
  }

  /**
   * Takes the shared write lock of every tenant in {@code tenantIds} inside the open transaction of
   * {@code handle}: sorted and deduplicated so behaviour is deterministic; no ids, no statements.
   *
   * @param operation what is being written, for the conflict metrics (e.g. {@code
   *     feedback_record.update})
   * @throws TenantWriteConflictException when any tenant is under purge; the caller's transaction
   *     must then roll back, and nothing has been written by this method
   */
  public void lockShared(Handle handle, Collection<String> tenantIds, String operation) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("the tenant write lock needs an open transaction");
    }
    Collection<String> ordered = tenantIds.size() == 1 ? tenantIds : new TreeSet<>(tenantIds);
    for (String tenantId : ordered) {
      lockedTenants.accept(tenantId);
      boolean granted =
          handle.createQuery(TRY_LOCK_SHARED).bind("key", key(tenantId)).mapTo(Boolean.class).one();
      if (!granted) {
        throw conflict(TenantConflictKind.WRITER_REFUSED, operation);
      }
    }
  }

  /** {@link #lockShared(Handle, Collection, String)} for one tenant. */
  public void lockShared(Handle handle, String tenantId, String operation) {
    lockShared(handle, List.of(tenantId), operation);
  }

  /**
   * The advisory key of a taxonomy run scope: {@code
   * <len>:<scope_type>|<len>:<tenant>|<len>:<source_type>|<len>:<source_id>|<len>:<field_id>}, each
   * length in UTF-8 bytes, as the reference derives it.
   */
  public static String taxonomyScopeKey(
      String scopeType, String tenantId, String sourceType, String sourceId, String fieldId) {
    StringBuilder key = new StringBuilder();
    String[] parts = {scopeType, tenantId, sourceType, sourceId, fieldId};
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        key.append('|');
      }
      String part = parts[i] == null ? "" : parts[i];
      key.append(part.getBytes(StandardCharsets.UTF_8).length).append(':').append(part);
    }
    return key.toString();
  }

  /**
   * Takes a scope lock (exclusive, transaction-scoped, <em>waiting</em>) inside the open
   * transaction of {@code handle}, e.g. {@link #taxonomyScopeKey}.
   *
   * @implNote Lock order: the caller must already hold the tenant's shared lock (taken with {@link
   *     #lockShared}) and no row locks. A waiter then never blocks a same-tenant writer and always
   *     yields to a queued purge, which holds no row locks either.
   */
  public void lockScope(Handle handle, String scopeKey) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("a scope lock needs an open transaction");
    }
    handle.createQuery(LOCK_EXCLUSIVE).bind("key", scopeKey).mapTo(String.class).one();
  }

  /**
   * Takes the exclusive lock for a purge inside the open transaction of {@code handle}, waiting at
   * most {@code timeout} for writers in flight.
   *
   * @implNote The wait is a transaction-local {@code lock_timeout}, floored at 1 ms because 0 would
   *     mean "wait forever"; once the lock is held it is reset to 0 so the purge's own row and
   *     foreign-key locks are not subject to it. The purge holds no other lock while it waits.
   * @return how long the purge waited for the lock
   * @throws TenantWriteConflictException when writers did not drain in time; nothing was deleted
   */
  public Duration lockExclusiveForPurge(Handle handle, String tenantId, Duration timeout) {
    if (!handle.isInTransaction()) {
      throw new IllegalStateException("the purge lock needs an open transaction");
    }
    handle
        .createQuery(SET_LOCK_TIMEOUT)
        .bind("millis", lockTimeoutMillis(timeout))
        .mapTo(String.class)
        .one();
    lockedTenants.accept(tenantId);
    long started = System.nanoTime();
    try {
      handle.createQuery(LOCK_EXCLUSIVE).bind("key", key(tenantId)).mapTo(String.class).one();
    } catch (UnableToExecuteStatementException e) {
      if (isLockTimeout(e)) {
        throw conflict(TenantConflictKind.PURGE_TIMED_OUT, "tenant.purge");
      }
      throw e;
    } finally {
      purgeLockWait.update(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
    handle.createQuery(SET_LOCK_TIMEOUT).bind("millis", "0").mapTo(String.class).one();
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /**
   * Whether {@code e} is the purge's {@code lock_timeout} expiring.
   *
   * @implNote Reads the SQLSTATE itself rather than through the database module, so that the lock
   *     module depends on nothing else of the service (the DAOs depend on it for {@link #GATE}).
   */
  private static boolean isLockTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return LOCK_NOT_AVAILABLE.equals(sql.getSQLState());
      }
    }
    return false;
  }

  /** The {@code lock_timeout} value for {@code timeout}: whole milliseconds, at least 1. */
  static String lockTimeoutMillis(Duration timeout) {
    long millis = timeout == null ? 1 : timeout.toMillis();
    return Long.toString(Math.max(1, millis));
  }

  /** Counts a conflict of {@code kind} for {@code operation} and returns the exception to throw. */
  public TenantWriteConflictException conflict(TenantConflictKind kind, String operation) {
    metrics.record(kind, operation);
    return new TenantWriteConflictException(kind);
  }
}
