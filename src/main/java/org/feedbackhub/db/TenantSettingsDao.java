package org.feedbackhub.db;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL of {@code tenant_settings}; writes run in a transaction that holds the tenant lock. */
public interface TenantSettingsDao {
  @SqlQuery("SELECT settings::text FROM tenant_settings WHERE tenant_id = :tenantId")
  Optional<String> find(@Bind("tenantId") String tenantId);

  /** Ensures the row exists, then locks it, so concurrent merge-patches serialise on the row. */
  @SqlUpdate(
      """
      INSERT INTO tenant_settings (tenant_id)
      VALUES (:tenantId)
      ON CONFLICT (tenant_id) DO NOTHING
      """)
  void ensureRow(@Bind("tenantId") String tenantId);

  @SqlQuery("SELECT settings::text FROM tenant_settings WHERE tenant_id = :tenantId FOR UPDATE")
  String lockRow(@Bind("tenantId") String tenantId);

  @SqlQuery(
      """
      INSERT INTO tenant_settings (tenant_id, settings)
      VALUES (:tenantId, CAST(:settings AS jsonb))
      ON CONFLICT (tenant_id) DO UPDATE
      SET settings = EXCLUDED.settings,
          updated_at = now()
      RETURNING settings::text
      """)
  String upsert(@Bind("tenantId") String tenantId, @Bind("settings") String settingsJson);
}
