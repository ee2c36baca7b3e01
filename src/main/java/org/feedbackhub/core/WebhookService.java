package org.feedbackhub.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.feedbackhub.api.CreateWebhookRequest;
import org.feedbackhub.api.KeysetCursor;
import org.feedbackhub.api.ListWebhooksResponse;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.UpdateWebhookRequest;
import org.feedbackhub.api.Validation;
import org.feedbackhub.api.WebhookData;
import org.feedbackhub.api.WebhookEventTypes;
import org.feedbackhub.api.WebhookPublicData;
import org.feedbackhub.db.WebhookDao;
import org.feedbackhub.db.WebhookRow;
import org.feedbackhub.tenant.TenantConflictKind;
import org.feedbackhub.tenant.TenantWriteConflictException;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The webhook rules: validation (including the SSRF guard), the global count limit, and the tenant
 * write lock around every mutation. Each mutation and its {@code webhook.*} outbox event commit
 * together; a refused write leaves no event.
 */
public class WebhookService {
  /** Longest accepted URL. */
  public static final int URL_MAX = 2048;

  /** Longest accepted signing key. */
  public static final int SIGNING_KEY_MAX = 255;

  /** Paging bounds of the list. */
  public static final int LIMIT_DEFAULT = 100;

  public static final int LIMIT_MAX = 1000;

  private static final String RESOURCE = "webhook";
  private static final String INVALID_KEY = "must be a valid Standard Webhooks signing key";

  private final Jdbi jdbi;
  private final WebhookDao dao;
  private final TenantWriteLock lock;
  private final WebhookUrlGuard urlGuard;
  private final int maxCount;

  public WebhookService(Jdbi jdbi, TenantWriteLock lock, WebhookUrlGuard urlGuard, int maxCount) {
    this.jdbi = jdbi;
    this.dao = jdbi.onDemand(WebhookDao.class);
    this.lock = lock;
    this.urlGuard = urlGuard;
    this.maxCount = maxCount;
  }

  /**
   * Creates a webhook with one gated statement (row and {@code webhook.created} event), in one
   * transaction with the global count check, serialized by {@link WebhookDao#lockCountLimit}.
   *
   * @throws ProblemException 400 on invalid input or a refused target, 403 at the global limit
   * @throws TenantWriteConflictException when the tenant is under purge
   */
  public WebhookData create(CreateWebhookRequest request) {
    Validation v = new Validation();
    String url = v.requiredText("url", request.url(), URL_MAX);
    if (url != null && v.isValid()) {
      addIfPresent(v, "url", urlGuard.syntaxProblem(url));
    }
    String tenantId = v.tenantId("tenant_id", request.tenantId());
    String signingKey = signingKey(v, request.signingKey());
    String[] eventTypes = eventTypes(v, request.eventTypes());
    v.throwIfInvalid();
    checkTarget(url);
    String key = signingKey != null ? signingKey : SigningKeys.generate();
    boolean enabled = request.enabled() == null || request.enabled();
    String lockKey = lock.gateKey(tenantId);
    WebhookRow row =
        jdbi.inTransaction(
            handle -> {
              WebhookDao tx = handle.attach(WebhookDao.class);
              tx.lockCountLimit();
              if (tx.countAll() >= maxCount) {
                throw ProblemException.forbidden("webhook limit reached (max " + maxCount + ")");
              }
              return tx.insertGated(url, key, enabled, tenantId, eventTypes, lockKey)
                  .orElseThrow(
                      () -> lock.conflict(TenantConflictKind.WRITER_REFUSED, "webhook.create"));
            });
    return withKey(row);
  }

  public WebhookPublicData get(String rawId) {
    UUID id = id(rawId);
    return dao.findById(id).map(WebhookService::publicData).orElseThrow(WebhookService::notFound);
  }

  /** One keyset page, newest first; the signing key is never listed. */
  public ListWebhooksResponse list(
      String rawTenantId, String rawEnabled, String rawLimit, String rawCursor) {
    Validation v = new Validation();
    String tenantId = v.optionalTenantId("tenant_id", rawTenantId);
    Boolean enabled = v.optionalBoolean("enabled", rawEnabled);
    int limit = v.limit("limit", rawLimit, LIMIT_DEFAULT, 1, LIMIT_MAX);
    v.throwIfInvalid();
    KeysetCursor cursor = KeysetCursor.decode(rawCursor);
    List<WebhookRow> rows =
        dao.list(
            tenantId,
            enabled,
            cursor == null ? null : cursor.timestamp(),
            cursor == null ? null : cursor.id(),
            limit + 1);
    String next = null;
    if (rows.size() > limit) {
      rows = rows.subList(0, limit);
      WebhookRow last = rows.get(limit - 1);
      next = new KeysetCursor(last.createdAt(), last.id()).encode();
    }
    return new ListWebhooksResponse(
        rows.stream().map(WebhookService::publicData).toList(), limit, next);
  }

  /**
   * Applies a PATCH. {@code {}} returns the current row without a lock or an event. Otherwise one
   * transaction resolves the row's tenant, try-locks it and the target tenant of a move, updates
   * with the resolved tenant in the WHERE and writes {@code webhook.updated}.
   *
   * @throws TenantWriteConflictException when either tenant is under purge, or the row changed
   *     tenant after it was resolved
   */
  public WebhookPublicData update(String rawId, UpdateWebhookRequest request) {
    UUID id = id(rawId);
    Validation v = new Validation();
    String url = v.optionalNonEmptyText("url", request.url(), URL_MAX);
    if (url != null && v.isValid()) {
      addIfPresent(v, "url", urlGuard.syntaxProblem(url));
    }
    String signingKey = signingKey(v, request.signingKey());
    String targetTenant = v.optionalTenantId("tenant_id", request.tenantId());
    String[] eventTypes = eventTypes(v, request.eventTypes());
    v.throwIfInvalid();
    if (request.isEmpty()) {
      return get(rawId);
    }
    if (url != null) {
      checkTarget(url);
    }
    String[] changed = request.changedFields().toArray(String[]::new);
    WebhookRow updated =
        jdbi.inTransaction(
            handle -> {
              WebhookDao tx = handle.attach(WebhookDao.class);
              WebhookRow current = tx.findById(id).orElseThrow(WebhookService::notFound);
              Set<String> tenants = new LinkedHashSet<>();
              if (current.tenantId() != null) {
                tenants.add(current.tenantId());
              }
              if (targetTenant != null) {
                tenants.add(targetTenant);
              }
              lock.lockShared(handle, tenants, "webhook.update");
              return tx.update(
                      id,
                      current.tenantId(),
                      url,
                      signingKey,
                      request.enabled(),
                      targetTenant != null,
                      targetTenant,
                      request.eventTypes() != null,
                      eventTypes,
                      changed)
                  .orElseThrow(() -> goneOrMoved(tx, id, "webhook.update"));
            });
    return publicData(updated);
  }

  /**
   * Deletes a webhook and writes {@code webhook.deleted}. A legacy row without a tenant takes no
   * lock (no purge can target it).
   */
  public void delete(String rawId) {
    UUID id = id(rawId);
    jdbi.useTransaction(
        handle -> {
          WebhookDao tx = handle.attach(WebhookDao.class);
          WebhookRow current = tx.findById(id).orElseThrow(WebhookService::notFound);
          lockIfTenant(handle, current.tenantId(), "webhook.delete");
          tx.delete(id, current.tenantId())
              .orElseThrow(() -> goneOrMoved(tx, id, "webhook.delete"));
        });
  }

  /**
   * The delivery worker's disable, through the same lock as a PATCH.
   *
   * @return false when the webhook no longer exists
   * @throws TenantWriteConflictException when its tenant is under purge or it moved meanwhile
   */
  public boolean disableAfterDeliveryFailure(UUID id, String reason) {
    return jdbi.inTransaction(
        handle -> {
          WebhookDao tx = handle.attach(WebhookDao.class);
          Optional<WebhookRow> current = tx.findById(id);
          if (current.isEmpty()) {
            return false;
          }
          String tenantId = current.get().tenantId();
          lockIfTenant(handle, tenantId, "webhook.disable");
          tx.disable(id, tenantId, reason).orElseThrow(() -> movedConflict("webhook.disable"));
          return true;
        });
  }

  private void lockIfTenant(Handle handle, String tenantId, String operation) {
    if (tenantId != null) {
      lock.lockShared(handle, tenantId, operation);
    }
  }

  /**
   * Why a tenant-guarded update or delete matched no row: the row was deleted meanwhile (by a
   * concurrent delete or a purge that committed after it was resolved), which is a 404 like any
   * missing webhook, or it moved to another tenant, the retryable conflict.
   *
   * @implNote A new statement in the same READ COMMITTED transaction sees what committed since the
   *     row was resolved, so the re-read tells the two apart.
   */
  private RuntimeException goneOrMoved(WebhookDao tx, UUID id, String operation) {
    return tx.findById(id).isEmpty() ? notFound() : movedConflict(operation);
  }

  private TenantWriteConflictException movedConflict(String operation) {
    return lock.conflict(TenantConflictKind.CONCURRENT_MODIFICATION, operation);
  }

  private void checkTarget(String url) {
    String problem = urlGuard.targetProblem(url);
    if (problem != null) {
      throw ProblemException.validation("url", problem);
    }
  }

  /** A supplied key: within 255 characters, without NUL, and usable as a Standard Webhooks key. */
  private static String signingKey(Validation v, String key) {
    if (key == null) {
      return null;
    }
    boolean wellFormed =
        key.indexOf('\0') < 0 && key.codePointCount(0, key.length()) <= SIGNING_KEY_MAX;
    if (!wellFormed) {
      v.optionalText("signing_key", key, SIGNING_KEY_MAX);
    } else if (!SigningKeys.isValid(key)) {
      v.add("signing_key", INVALID_KEY);
    }
    return key;
  }

  /** The validated filter, deduplicated in order; null when absent or empty (all events). */
  private static String[] eventTypes(Validation v, List<String> eventTypes) {
    if (eventTypes == null) {
      return null;
    }
    Set<String> unique = new LinkedHashSet<>();
    for (int i = 0; i < eventTypes.size(); i++) {
      String type = eventTypes.get(i);
      String name = "event_types[" + i + "]";
      if (type == null) {
        v.add(name, Validation.REQUIRED);
      } else {
        v.oneOf(name, type, WebhookEventTypes.ALL, true);
        unique.add(type);
      }
    }
    return unique.isEmpty() ? null : unique.toArray(String[]::new);
  }

  private static void addIfPresent(Validation v, String name, String reason) {
    if (reason != null) {
      v.add(name, reason);
    }
  }

  private static UUID id(String rawId) {
    Validation v = new Validation();
    UUID id = v.uuid("id", rawId);
    v.throwIfInvalid();
    return id;
  }

  private static ProblemException notFound() {
    return ProblemException.notFound(RESOURCE);
  }

  static WebhookPublicData publicData(WebhookRow row) {
    return new WebhookPublicData(
        row.id(),
        row.url(),
        row.enabled(),
        row.tenantId(),
        emptyToNull(row.eventTypes()),
        row.createdAt(),
        row.updatedAt(),
        row.disabledReason(),
        row.disabledAt());
  }

  private static WebhookData withKey(WebhookRow row) {
    return new WebhookData(
        row.id(),
        row.url(),
        row.signingKey(),
        row.enabled(),
        row.tenantId(),
        emptyToNull(row.eventTypes()),
        row.createdAt(),
        row.updatedAt(),
        row.disabledReason(),
        row.disabledAt());
  }

  private static List<String> emptyToNull(List<String> list) {
    return list == null || list.isEmpty() ? null : new ArrayList<>(list);
  }
}
