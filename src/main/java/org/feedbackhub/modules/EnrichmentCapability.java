package org.feedbackhub.modules;

import org.feedbackhub.core.EnrichmentGates;
import org.feedbackhub.core.EnrichmentRetryService;
import org.feedbackhub.core.EnrichmentStatusService;
import org.feedbackhub.enrichment.EnrichmentFactory;
import org.feedbackhub.resources.EnrichmentRetryResource;
import org.feedbackhub.resources.EnrichmentStatusResource;

/** Enrichment: the status and retry resources, gated by the configured kinds. */
public final class EnrichmentCapability {
  private EnrichmentCapability() {}

  public static Capability build(Infrastructure infra) {
    EnrichmentFactory settings = infra.configuration().getEnrichment();
    EnrichmentGates gates =
        new EnrichmentGates(settings.configuredKinds().keySet(), settings.defaultTargetLanguage());
    return Capability.builder()
        .resource(new EnrichmentStatusResource(new EnrichmentStatusService(infra.jdbi(), gates)))
        .resource(
            new EnrichmentRetryResource(
                new EnrichmentRetryService(
                    infra.jdbi(), infra.lock(), gates, settings.isReconcileEnabled())))
        .build();
  }
}
