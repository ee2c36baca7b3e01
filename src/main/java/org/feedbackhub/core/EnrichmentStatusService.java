package org.feedbackhub.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.feedbackhub.api.EnrichmentStatusResponse;
import org.feedbackhub.api.EnrichmentStatusResponse.KindStatus;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.EnrichmentStatusDao;
import org.feedbackhub.db.TenantSettingsDao;
import org.feedbackhub.enrichment.EnrichmentKind;
import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's enrichment progress: each kind's gate and, for the open ones, the counts of eligible,
 * done, failed and terminally failed records. Counts only, never record ids or content.
 */
public final class EnrichmentStatusService {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final EnrichmentGates gates;

  public EnrichmentStatusService(Jdbi jdbi, EnrichmentGates gates) {
    this.jdbi = jdbi;
    this.gates = gates;
  }

  public EnrichmentStatusResponse status(String rawTenantId) {
    Validation v = new Validation();
    String tenantId = v.tenantId("tenant_id", rawTenantId);
    v.throwIfInvalid();
    // Nothing configured: no query at all, every kind not_configured.
    JsonNode settings = gates.anyConfigured() ? settings(jdbi, tenantId) : JSON.createObjectNode();
    EnrichmentGates.Gate translation = gates.gate(EnrichmentKind.TRANSLATION, settings);
    EnrichmentGates.Gate sentiment = gates.gate(EnrichmentKind.SENTIMENT, settings);
    EnrichmentGates.Gate emotions = gates.gate(EnrichmentKind.EMOTIONS, settings);
    EnrichmentStatusDao.Counts counts =
        translation.open() || sentiment.open() || emotions.open()
            ? jdbi.withExtension(
                EnrichmentStatusDao.class,
                dao -> dao.counts(tenantId, translation.targetLanguage()))
            : null;
    KindStatus translationStatus =
        translation.open()
            ? KindStatus.enabled(
                counts.translationEligible(),
                counts.translationDone(),
                counts.translationFailed(),
                counts.translationTerminal())
            : KindStatus.disabled(translation.disabledReason());
    KindStatus sentimentStatus =
        sentiment.open()
            ? KindStatus.enabled(
                counts.textRecords(),
                counts.sentimentDone(),
                counts.sentimentFailed(),
                counts.sentimentTerminal())
            : KindStatus.disabled(sentiment.disabledReason());
    KindStatus emotionsStatus =
        emotions.open()
            ? KindStatus.enabled(
                counts.textRecords(),
                counts.emotionsLabelled() + counts.emotionsEmpty(),
                counts.emotionsFailed(),
                counts.emotionsTerminal())
            : KindStatus.disabled(emotions.disabledReason());
    return new EnrichmentStatusResponse(
        tenantId, Instant.now(), translationStatus, sentimentStatus, emotionsStatus);
  }

  /** The tenant's settings document ({@code {}} when it has none). */
  static JsonNode settings(Jdbi jdbi, String tenantId) {
    String stored =
        jdbi.withExtension(TenantSettingsDao.class, dao -> dao.find(tenantId)).orElse("{}");
    try {
      return JSON.readTree(stored);
    } catch (IOException e) {
      throw new UncheckedIOException("tenant_settings.settings is always a JSON object", e);
    }
  }
}
