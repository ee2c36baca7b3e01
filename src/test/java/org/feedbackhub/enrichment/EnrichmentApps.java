package org.feedbackhub.enrichment;

import org.feedbackhub.testing.HubApp;

/** Applications with enrichment configured against a provider that is never reached. */
final class EnrichmentApps {
  /** A closed loopback port: phase-one tests never call the provider. */
  static final String UNREACHABLE = "http://127.0.0.1:9";

  private EnrichmentApps() {}

  /** Every kind configured, default target {@code en}, the reconcile sweep on. */
  static HubApp.Builder allConfigured() {
    HubApp.Builder builder = HubApp.builder().set("webhooks.dispatcherEnabled", "false");
    for (EnrichmentKind kind : EnrichmentKind.values()) {
      String path = "enrichment." + kind.wireName() + ".";
      builder
          .set(path + "provider", "openai")
          .set(path + "model", "gpt-test")
          .set(path + "baseUrl", UNREACHABLE);
    }
    return builder.set("enrichment.translationDefaultLanguage", "en");
  }
}
