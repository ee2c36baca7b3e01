package org.feedbackhub.enrichment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.EnumMap;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Enrichment settings: one {@link EnrichmentKindSettings} per kind, the deployment's default
 * translation target and the reconcile sweep. Nothing configured (the default) means no enrichment
 * and no network.
 */
public class EnrichmentFactory {
  static final int DEFAULT_RECONCILE_INTERVAL_SECONDS = 300;
  static final int DEFAULT_RECONCILE_TARGET_DEPTH = 1000;
  static final int MAX_RECONCILE_TARGET_DEPTH = 100_000;

  @Valid @NotNull @JsonProperty
  private EnrichmentKindSettings translation = new EnrichmentKindSettings();

  @Valid @NotNull @JsonProperty
  private EnrichmentKindSettings sentiment = new EnrichmentKindSettings();

  @Valid @NotNull @JsonProperty
  private EnrichmentKindSettings emotions = new EnrichmentKindSettings();

  @NotNull private String translationDefaultLanguage = "";

  @JsonProperty private boolean reconcileEnabled = true;

  @JsonProperty private int reconcileIntervalSeconds = DEFAULT_RECONCILE_INTERVAL_SECONDS;

  @JsonProperty private int reconcileTargetDepth = DEFAULT_RECONCILE_TARGET_DEPTH;

  @JsonProperty
  @Min(1)
  @Max(600)
  private int httpTimeoutSeconds = 30;

  /** The settings of one kind. */
  public EnrichmentKindSettings kind(EnrichmentKind kind) {
    return switch (kind) {
      case TRANSLATION -> translation;
      case SENTIMENT -> sentiment;
      case EMOTIONS -> emotions;
    };
  }

  /** The kinds with a provider and a model, each with its settings. */
  @JsonIgnore
  public Map<EnrichmentKind, EnrichmentKindSettings> configuredKinds() {
    Map<EnrichmentKind, EnrichmentKindSettings> configured = new EnumMap<>(EnrichmentKind.class);
    for (EnrichmentKind kind : EnrichmentKind.values()) {
      if (kind(kind).isConfigured()) {
        configured.put(kind, kind(kind));
      }
    }
    return configured;
  }

  @JsonProperty
  public String getTranslationDefaultLanguage() {
    return translationDefaultLanguage;
  }

  @JsonProperty
  public void setTranslationDefaultLanguage(String tag) {
    this.translationDefaultLanguage = tag == null ? "" : tag.trim();
  }

  /** {@code TRANSLATION_DEFAULT_LANGUAGE} normalised ({@code en-us} to {@code en-US}), if set. */
  @JsonIgnore
  public Optional<String> defaultTargetLanguage() {
    return translationDefaultLanguage.isEmpty()
        ? Optional.empty()
        : Optional.of(normaliseLanguageTag(translationDefaultLanguage));
  }

  public boolean isReconcileEnabled() {
    return reconcileEnabled;
  }

  /** {@code ENRICHMENT_RECONCILE_INTERVAL_SECONDS}; 0 or less falls back to 300. */
  @JsonIgnore
  public Duration reconcileInterval() {
    return Duration.ofSeconds(
        reconcileIntervalSeconds > 0
            ? reconcileIntervalSeconds
            : DEFAULT_RECONCILE_INTERVAL_SECONDS);
  }

  /** {@code ENRICHMENT_RECONCILE_TARGET_DEPTH}: 0 or less falls back to 1000, at most 100000. */
  @JsonIgnore
  public int reconcileTargetDepth() {
    if (reconcileTargetDepth <= 0) {
      return DEFAULT_RECONCILE_TARGET_DEPTH;
    }
    return Math.min(reconcileTargetDepth, MAX_RECONCILE_TARGET_DEPTH);
  }

  /** The bound of one provider call. */
  @JsonIgnore
  public Duration httpTimeout() {
    return Duration.ofSeconds(httpTimeoutSeconds);
  }

  /**
   * Checks every kind and the default language, as start-up does.
   *
   * @throws IllegalArgumentException with one line naming the variable at fault
   */
  public void validate() {
    for (EnrichmentKind kind : EnrichmentKind.values()) {
      kind(kind).validate(kind);
    }
    if (!translationDefaultLanguage.isEmpty()) {
      try {
        normaliseLanguageTag(translationDefaultLanguage);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "TRANSLATION_DEFAULT_LANGUAGE must be a BCP-47 language tag such as en or de-CH");
      }
    }
  }

  /** A BCP-47 tag in its canonical case, as tenant settings store {@code target_language}. */
  static String normaliseLanguageTag(String tag) {
    try {
      String normalised = new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
      if (normalised.isEmpty() || normalised.equals("und") || tag.length() > 35) {
        throw new IllegalArgumentException("not a language tag");
      }
      return normalised;
    } catch (IllformedLocaleException e) {
      throw new IllegalArgumentException("not a language tag", e);
    }
  }
}
