package org.feedbackhub.admin;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads who holds and who waits for tenant write locks from {@code pg_locks} and {@code
 * pg_stat_activity}, on the monitor's own connection pool, and names the tenants it can.
 *
 * @implNote Advisory locks taken with one bigint show in {@code pg_locks} as {@code
 *     locktype='advisory'}, {@code objsubid=1}, the key's high 32 bits in {@code classid} and its
 *     low 32 bits in {@code objid}; both are {@code oid}s (unsigned), so the signed key is {@code
 *     classid::bigint << 32 | objid::bigint}, where the shift deliberately wraps. {@code
 *     pg_blocking_pids} is costly (it takes the lock manager's partition locks), so it runs for
 *     waiting backends only.
 */
public final class LockMonitor {
  /** Longest query text shown per backend. */
  static final int QUERY_CHARS = 200;

  private static final String META =
      """
      SELECT pg_backend_pid() AS pid,
             current_setting('server_version_num')::int AS version,
             current_setting('statement_timeout') AS statement_timeout
      """;

  private static final String HASH_KEYS =
      """
      SELECT k AS lock_key,
             hashtextextended(k, 0) AS hash
      FROM unnest(CAST(:keys AS text[])) AS k
      """;

  /** {@code %s} is the wait start: {@code pg_locks.waitstart} from PostgreSQL 14 on. */
  private static final String TENANT_LOCKS =
      """
      SELECT l.pid,
             l.mode,
             l.granted,
             (l.classid::bigint << 32) | l.objid::bigint AS lock_key,
             a.application_name,
             host(a.client_addr) AS client_addr,
             a.state,
             a.wait_event_type,
             a.wait_event,
             left(a.query, :queryChars) AS query,
             round(extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint
                 AS xact_age_ms,
             CASE WHEN NOT l.granted
                 THEN round(extract(epoch FROM clock_timestamp() - %s) * 1000)::bigint
             END AS wait_ms,
             CASE WHEN NOT l.granted THEN pg_blocking_pids(l.pid) END AS blocked_by
      FROM pg_locks l
      LEFT JOIN pg_stat_activity a
          ON a.pid = l.pid
      WHERE l.locktype = 'advisory'
        AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.pid <> pg_backend_pid()
      ORDER BY l.granted DESC, wait_ms DESC NULLS LAST, l.pid
      """;

  /** Backends waiting for any other lock (a row, a table) that a tenant lock holder blocks. */
  private static final String BLOCKED_BEHIND =
      """
      SELECT w.pid,
             w.mode,
             false AS granted,
             NULL::bigint AS lock_key,
             w.locktype,
             a.application_name,
             host(a.client_addr) AS client_addr,
             a.state,
             a.wait_event_type,
             a.wait_event,
             left(a.query, :queryChars) AS query,
             round(extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint
                 AS xact_age_ms,
             round(extract(epoch FROM clock_timestamp() - a.state_change) * 1000)::bigint
                 AS wait_ms,
             b.blocked_by
      FROM (
          SELECT DISTINCT ON (pid) pid, locktype, mode
          FROM pg_locks
          WHERE NOT granted
            AND NOT (locktype = 'advisory' AND objsubid = 1)
            AND pid <> pg_backend_pid()
          ORDER BY pid
      ) w
      JOIN pg_stat_activity a
          ON a.pid = w.pid
      CROSS JOIN LATERAL (SELECT pg_blocking_pids(w.pid) AS blocked_by) b
      WHERE b.blocked_by && CAST(:holders AS int[])
      ORDER BY wait_ms DESC NULLS LAST, w.pid
      """;

  private final Jdbi monitorJdbi;
  private final RecentTenants recentTenants;
  private final String applicationName;

  /**
   * @param monitorJdbi over the monitor's own pool (never the application's, which waiters may
   *     exhaust), with its own {@code statement_timeout}
   */
  public LockMonitor(Jdbi monitorJdbi, RecentTenants recentTenants, String applicationName) {
    this.monitorJdbi = monitorJdbi;
    this.recentTenants = recentTenants;
    this.applicationName = applicationName;
  }

  /**
   * One reading of the tenant write locks.
   *
   * @param lookupTenantId a tenant id typed by the operator, hashed so its locks are named even if
   *     this process never locked it; null for none
   */
  public LockSnapshot snapshot(String lookupTenantId) {
    return monitorJdbi.withHandle(handle -> read(handle, lookupTenantId));
  }

  private LockSnapshot read(Handle handle, String lookupTenantId) {
    Map<String, Object> meta = handle.createQuery(META).mapToMap().one();
    int version = ((Number) meta.get("version")).intValue();
    if (lookupTenantId != null) {
      recentTenants.accept(lookupTenantId);
    }
    nameNewTenants(handle);
    Map<Long, String> tenants = recentTenants.byKey();

    String waitStart =
        version >= 140000 ? "coalesce(l.waitstart, a.state_change)" : "a.state_change";
    List<LockSnapshot.Backend> locks =
        handle
            .createQuery(TENANT_LOCKS.formatted(waitStart))
            .bind("queryChars", QUERY_CHARS)
            .map((rs, ctx) -> backend(rs, "advisory", tenants))
            .list();
    List<LockSnapshot.Backend> blocked = List.of();
    List<Integer> holders =
        locks.stream().filter(LockSnapshot.Backend::granted).map(b -> b.pid()).toList();
    if (!holders.isEmpty()) {
      blocked =
          handle
              .createQuery(BLOCKED_BEHIND)
              .bind("queryChars", QUERY_CHARS)
              .bindArray("holders", Integer.class, holders)
              .map((rs, ctx) -> backend(rs, rs.getString("locktype"), tenants))
              .list();
    }
    LockSnapshot.Lookup lookup = null;
    if (lookupTenantId != null) {
      Long key = keyOf(tenants, lookupTenantId);
      long count = locks.stream().filter(b -> lookupTenantId.equals(b.tenantId())).count();
      lookup =
          new LockSnapshot.Lookup(
              lookupTenantId,
              TenantWriteLock.key(lookupTenantId),
              key == null ? null : Long.toString(key),
              key == null ? null : Long.toUnsignedString(key),
              count);
    }
    return LockSnapshot.of(
        Instant.now(),
        new LockSnapshot.Monitor(
            applicationName,
            ((Number) meta.get("pid")).intValue(),
            String.valueOf(meta.get("statement_timeout")),
            version),
        locks,
        blocked,
        lookup);
  }

  /** Hashes, in SQL, the keys of tenants locked since the last poll. */
  private void nameNewTenants(Handle handle) {
    List<String> ids = recentTenants.unhashed();
    if (ids.isEmpty()) {
      return;
    }
    Map<String, String> tenantByKey = new LinkedHashMap<>();
    ids.forEach(id -> tenantByKey.put(TenantWriteLock.key(id), id));
    handle
        .createQuery(HASH_KEYS)
        .bindArray("keys", String.class, new ArrayList<>(tenantByKey.keySet()))
        .map((rs, ctx) -> Map.entry(rs.getString("lock_key"), rs.getLong("hash")))
        .forEach(e -> recentTenants.remember(tenantByKey.get(e.getKey()), e.getValue()));
  }

  private static Long keyOf(Map<Long, String> tenants, String tenantId) {
    return tenants.entrySet().stream()
        .filter(e -> e.getValue().equals(tenantId))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  private static LockSnapshot.Backend backend(
      ResultSet rs, String lockType, Map<Long, String> tenants) throws SQLException {
    long rawKey = rs.getLong("lock_key");
    Long key = rs.wasNull() ? null : rawKey;
    return new LockSnapshot.Backend(
        rs.getInt("pid"),
        lockType,
        modeName(rs.getString("mode")),
        rs.getString("mode"),
        rs.getBoolean("granted"),
        key == null ? null : Long.toString(key),
        key == null ? null : Long.toUnsignedString(key),
        key == null ? null : tenants.get(key),
        rs.getString("application_name"),
        rs.getString("client_addr"),
        rs.getString("state"),
        rs.getString("wait_event_type"),
        rs.getString("wait_event"),
        rs.getString("query"),
        nullableLong(rs, "xact_age_ms"),
        nullableLong(rs, "wait_ms"),
        pids(rs.getArray("blocked_by")));
  }

  /** ShareLock is how PostgreSQL names a shared advisory lock, ExclusiveLock an exclusive one. */
  static String modeName(String pgMode) {
    return switch (pgMode) {
      case "ShareLock" -> "shared";
      case "ExclusiveLock" -> "exclusive";
      default -> pgMode;
    };
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static List<Integer> pids(Array array) throws SQLException {
    if (array == null) {
      return null;
    }
    List<Integer> pids = new ArrayList<>();
    for (Object pid : (Object[]) array.getArray()) {
      pids.add(((Number) pid).intValue());
    }
    return pids;
  }
}
