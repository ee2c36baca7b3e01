package org.feedbackhub.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.feedbackhub.api.EnrichmentRetryRequest;
import org.feedbackhub.api.EnrichmentRetryResponse;
import org.feedbackhub.api.EnrichmentRetryResponse.Result;
import org.feedbackhub.api.ProblemException;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.EnrichmentRetryDao;
import org.feedbackhub.enrichment.EnrichmentKind;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;

/**
 * Retrying enrichments: deletes a tenant's terminal failure markers of each kind asked for, at most
 * once an hour per (tenant, kind), so the reconcile sweep tries their records again.
 */
public final class EnrichmentRetryService {
  /** How long a (tenant, kind) waits between two retries that clear. */
  public static final Duration COOLDOWN = Duration.ofHours(1);

  private static final List<String> KINDS =
      Arrays.stream(EnrichmentKind.values()).map(EnrichmentKind::wireName).toList();

  private final Jdbi jdbi;
  private final TenantWriteLock lock;
  private final EnrichmentGates gates;
  private final boolean reconcileEnabled;

  public EnrichmentRetryService(
      Jdbi jdbi, TenantWriteLock lock, EnrichmentGates gates, boolean reconcileEnabled) {
    this.jdbi = jdbi;
    this.lock = lock;
    this.gates = gates;
    this.reconcileEnabled = reconcileEnabled;
  }

  /**
   * Checks in the contract's order: the sweep switched off (409, nothing read), the tenant id and
   * the body (400), then each kind's gate and cooldown.
   *
   * @throws org.feedbackhub.tenant.TenantWriteConflictException while the tenant is being purged
   */
  public EnrichmentRetryResponse retry(String rawTenantId, String body) {
    if (!reconcileEnabled) {
      throw ProblemException.conflict(
          "Enrichment retries need the reconcile sweep, which is switched off"
              + " (ENRICHMENT_RECONCILE_ENABLED=false)");
    }
    Validation v = new Validation();
    String tenantId = v.tenantId("tenant_id", rawTenantId);
    v.throwIfInvalid();
    List<String> kinds = EnrichmentRetryRequest.kinds(body, KINDS, v);
    v.throwIfInvalid();
    JsonNode settings =
        gates.anyConfigured()
            ? EnrichmentStatusService.settings(jdbi, tenantId)
            : JsonNodeFactory.instance.objectNode();
    List<Result> results = new ArrayList<>();
    List<EnrichmentKind> open = new ArrayList<>();
    for (String name : kinds) {
      EnrichmentKind kind = EnrichmentKind.fromWireName(name).orElseThrow();
      EnrichmentGates.Gate gate = gates.gate(kind, settings);
      results.add(gate.open() ? null : Result.disabled(name, gate.disabledReason()));
      if (gate.open()) {
        open.add(kind);
      }
    }
    if (!open.isEmpty()) {
      List<EnrichmentRetryDao.Outcome> outcomes =
          jdbi.inTransaction(
              handle -> {
                lock.lockShared(handle, tenantId, "enrichments.retry");
                EnrichmentRetryDao dao = handle.attach(EnrichmentRetryDao.class);
                List<EnrichmentRetryDao.Outcome> done = new ArrayList<>();
                for (EnrichmentKind kind : open) {
                  done.add(dao.clearTerminal(tenantId, kind.wireName(), COOLDOWN.toSeconds()));
                }
                return done;
              });
      int next = 0;
      for (int i = 0; i < results.size(); i++) {
        if (results.get(i) == null) {
          results.set(i, result(kinds.get(i), outcomes.get(next++)));
        }
      }
    }
    return new EnrichmentRetryResponse(tenantId, List.copyOf(results));
  }

  private static Result result(String kind, EnrichmentRetryDao.Outcome outcome) {
    if (outcome.claimed()) {
      return Result.cleared(kind, outcome.cleared());
    }
    Long wait = outcome.retryAfterSeconds();
    long seconds = wait == null || wait <= 0 ? COOLDOWN.toSeconds() : wait;
    return Result.coolingDown(kind, Math.max(1, Math.min(seconds, COOLDOWN.toSeconds())));
  }
}
