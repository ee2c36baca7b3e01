package org.feedbackhub.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.feedbackhub.api.TenantSettingsResponse;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.TenantSettingsDao;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;

/** Tenant settings: read freely, written (replace or merge-patch) under the tenant write lock. */
public final class TenantSettingsService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final TenantWriteLock lock;

  public TenantSettingsService(Jdbi jdbi, TenantWriteLock lock) {
    this.jdbi = jdbi;
    this.lock = lock;
  }

  public TenantSettingsResponse get(String rawTenantId) {
    String tenantId = tenantId(rawTenantId);
    String settings =
        jdbi.withExtension(TenantSettingsDao.class, dao -> dao.find(tenantId)).orElse("{}");
    return new TenantSettingsResponse(tenantId, parse(settings));
  }

  /** Replaces the whole document. */
  public TenantSettingsResponse replace(String rawTenantId, ObjectNode body) {
    String tenantId = tenantId(rawTenantId);
    ObjectNode settings = TenantSettingsRules.replacement(body);
    String stored =
        jdbi.inTransaction(
            handle -> {
              lock.lockShared(handle, tenantId, "tenant_settings.replace");
              return handle.attach(TenantSettingsDao.class).upsert(tenantId, settings.toString());
            });
    return new TenantSettingsResponse(tenantId, parse(stored));
  }

  /**
   * Applies an RFC 7396 merge patch. An empty patch changes nothing, so, like the other empty
   * PATCHes, it answers the current settings without taking the tenant lock.
   */
  public TenantSettingsResponse patch(String rawTenantId, ObjectNode patch) {
    String tenantId = tenantId(rawTenantId);
    if (patch.isEmpty()) {
      return get(tenantId);
    }
    TenantSettingsRules.merge(JSON.createObjectNode(), patch);
    String stored =
        jdbi.inTransaction(
            handle -> {
              lock.lockShared(handle, tenantId, "tenant_settings.patch");
              TenantSettingsDao dao = handle.attach(TenantSettingsDao.class);
              dao.ensureRow(tenantId);
              ObjectNode merged = TenantSettingsRules.merge(parse(dao.lockRow(tenantId)), patch);
              return dao.upsert(tenantId, merged.toString());
            });
    return new TenantSettingsResponse(tenantId, parse(stored));
  }

  private static String tenantId(String raw) {
    Validation v = new Validation();
    String tenantId = v.tenantId("tenant_id", raw);
    v.throwIfInvalid();
    return tenantId;
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("tenant_settings.settings is always a JSON object", e);
    }
  }
}
