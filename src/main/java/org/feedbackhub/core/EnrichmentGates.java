package org.feedbackhub.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.feedbackhub.enrichment.EnrichmentKind;

/**
 * Whether an enrichment kind runs for a tenant, and if not why, in the contract's gate order:
 * {@code not_configured} (no provider and model in the deployment), {@code switched_off} (the
 * tenant's {@code sentiment_enabled} / {@code emotions_enabled} is false; absent = enabled), {@code
 * no_target_language} (translation only: neither the tenant's {@code target_language} nor {@code
 * TRANSLATION_DEFAULT_LANGUAGE}).
 */
public final class EnrichmentGates {
  public static final String NOT_CONFIGURED = "not_configured";
  public static final String SWITCHED_OFF = "switched_off";
  public static final String NO_TARGET_LANGUAGE = "no_target_language";

  private final Set<EnrichmentKind> configured;
  private final Optional<String> defaultTargetLanguage;

  /**
   * @param configured the kinds with a provider and a model
   * @param defaultTargetLanguage {@code TRANSLATION_DEFAULT_LANGUAGE}, normalised
   */
  public EnrichmentGates(Set<EnrichmentKind> configured, Optional<String> defaultTargetLanguage) {
    this.configured =
        configured.isEmpty() ? EnumSet.noneOf(EnrichmentKind.class) : EnumSet.copyOf(configured);
    this.defaultTargetLanguage = defaultTargetLanguage;
  }

  /** A kind's gate for one tenant: open (with the translation target) or closed with a reason. */
  public record Gate(boolean open, String disabledReason, String targetLanguage) {
    static Gate closed(String reason) {
      return new Gate(false, reason, null);
    }
  }

  public boolean anyConfigured() {
    return !configured.isEmpty();
  }

  /** The gate of {@code kind} for a tenant whose settings document is {@code settings}. */
  public Gate gate(EnrichmentKind kind, JsonNode settings) {
    if (!configured.contains(kind)) {
      return Gate.closed(NOT_CONFIGURED);
    }
    return switch (kind) {
      case SENTIMENT, EMOTIONS -> {
        JsonNode enabled = settings.path(kind.wireName() + "_enabled");
        yield enabled.isBoolean() && !enabled.booleanValue()
            ? Gate.closed(SWITCHED_OFF)
            : new Gate(true, null, null);
      }
      case TRANSLATION -> {
        JsonNode tenantTarget = settings.path(TenantSettingsRules.TARGET_LANGUAGE);
        Optional<String> target =
            tenantTarget.isTextual() && !tenantTarget.textValue().isEmpty()
                ? Optional.of(tenantTarget.textValue())
                : defaultTargetLanguage;
        yield target
            .map(language -> new Gate(true, null, language))
            .orElseGet(() -> Gate.closed(NO_TARGET_LANGUAGE));
      }
    };
  }
}
