package org.feedbackhub.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.time.Duration;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.feedbackhub.HubConfiguration;
import org.junit.jupiter.api.Test;

/** The enrichment block of {@code config.yml}, read as operators set it: from the environment. */
class EnrichmentFactoryTest {
  private static EnrichmentFactory load(Map<String, String> env) throws Exception {
    YamlConfigurationFactory<HubConfiguration> factory =
        new YamlConfigurationFactory<>(
            HubConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
    return factory
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new StringSubstitutor(env)),
            "config.yml")
        .getEnrichment();
  }

  @Test
  void defaultsConfigureNothing() throws Exception {
    EnrichmentFactory enrichment = load(Map.of());
    enrichment.validate();
    assertThat(enrichment.configuredKinds()).isEmpty();
    for (EnrichmentKind kind : EnrichmentKind.values()) {
      EnrichmentKindSettings settings = enrichment.kind(kind);
      assertThat(settings.getMaxConcurrent()).isEqualTo(5);
      assertThat(settings.getMaxAttempts()).isEqualTo(3);
      assertThat(settings.getReconcileMaxConcurrent()).isEqualTo(2);
      assertThat(settings.getBaseUrl()).isEqualTo("https://api.openai.com");
    }
    assertThat(enrichment.defaultTargetLanguage()).isEmpty();
    assertThat(enrichment.isReconcileEnabled()).isTrue();
    assertThat(enrichment.reconcileInterval()).isEqualTo(Duration.ofSeconds(300));
    assertThat(enrichment.reconcileTargetDepth()).isEqualTo(1000);
    assertThat(enrichment.httpTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everyVariableReachesItsKind() throws Exception {
    EnrichmentFactory enrichment =
        load(
            Map.ofEntries(
                Map.entry("SENTIMENT_PROVIDER", " OpenAI "),
                Map.entry("SENTIMENT_MODEL", "gpt-4o-mini"),
                Map.entry("SENTIMENT_PROVIDER_API_KEY", "sk-1"),
                Map.entry("SENTIMENT_BASE_URL", "http://127.0.0.1:9/v1"),
                Map.entry("SENTIMENT_MAX_CONCURRENT", "7"),
                Map.entry("SENTIMENT_MAX_ATTEMPTS", "4"),
                Map.entry("SENTIMENT_RECONCILE_MAX_CONCURRENT", "1"),
                Map.entry("TRANSLATION_DEFAULT_LANGUAGE", "de-ch"),
                Map.entry("ENRICHMENT_RECONCILE_ENABLED", "false"),
                Map.entry("ENRICHMENT_RECONCILE_INTERVAL_SECONDS", "0"),
                Map.entry("ENRICHMENT_RECONCILE_TARGET_DEPTH", "5000000")));
    enrichment.validate();
    assertThat(enrichment.configuredKinds()).containsOnlyKeys(EnrichmentKind.SENTIMENT);
    EnrichmentKindSettings sentiment = enrichment.kind(EnrichmentKind.SENTIMENT);
    assertThat(sentiment.getProvider()).isEqualTo("openai");
    assertThat(sentiment.getApiKey()).isEqualTo("sk-1");
    assertThat(sentiment.getBaseUrl()).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(sentiment.getMaxConcurrent()).isEqualTo(7);
    assertThat(sentiment.getMaxAttempts()).isEqualTo(4);
    assertThat(sentiment.getReconcileMaxConcurrent()).isEqualTo(1);
    assertThat(enrichment.defaultTargetLanguage()).contains("de-CH");
    assertThat(enrichment.isReconcileEnabled()).isFalse();
    assertThat(enrichment.reconcileInterval()).isEqualTo(Duration.ofSeconds(300));
    assertThat(enrichment.reconcileTargetDepth()).isEqualTo(100_000);
  }
}
