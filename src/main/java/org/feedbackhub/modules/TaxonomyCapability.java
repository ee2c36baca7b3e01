package org.feedbackhub.modules;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.feedbackhub.core.TaxonomyFactory;
import org.feedbackhub.core.TaxonomyRunLifecycle;
import org.feedbackhub.core.TaxonomyService;
import org.feedbackhub.db.OutboxDao;
import org.feedbackhub.embeddings.Embedder;
import org.feedbackhub.events.TaxonomyReaper;
import org.feedbackhub.events.TaxonomyStartWorker;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.resources.InternalTaxonomyResource;
import org.feedbackhub.resources.TaxonomyResource;

/**
 * Taxonomy: the public resource; the internal one (hidden from OpenAPI, own bearer token) only when
 * {@code HUB_INTERNAL_API_TOKEN} is set; the start-job worker and the stuck-run reaper when a
 * compute service is configured.
 */
public final class TaxonomyCapability {
  private TaxonomyCapability() {}

  public static Capability build(Infrastructure infra, Embeddings embeddings) {
    TaxonomyFactory settings = infra.configuration().getTaxonomy();
    // Runs read the vectors of TAXONOMY_EMBEDDING_MODEL, by default the configured embedder's.
    // An explicit model also enables taxonomy on an instance that does not embed itself.
    boolean explicitModel = !settings.getEmbeddingModel().isBlank();
    String model =
        explicitModel
            ? settings.getEmbeddingModel()
            : embeddings.embedder().map(Embedder::model).orElse(settings.getEmbeddingModel());
    boolean embedding = embeddings.enabled();
    BooleanSupplier embeddingsEnabled = () -> embedding || explicitModel;
    TaxonomyRunLifecycle runs = new TaxonomyRunLifecycle(infra.jdbi(), infra.lock(), model);
    Capability.Builder capability =
        Capability.builder()
            .resource(
                new TaxonomyResource(
                    new TaxonomyService(
                        infra.jdbi(), infra.lock(), embeddingsEnabled, settings, model)));
    if (settings.internalApiEnabled()) {
      capability.resource(new InternalTaxonomyResource(runs));
    }
    if (!settings.serviceConfigured()) {
      // Without a compute service no run can start, so none can get stuck.
      return capability.build();
    }
    if (settings.isWorkerEnabled()) {
      capability.managed(
          new TaxonomyStartWorker(
              new JobQueue(infra.jdbi(), OutboxDao.TAXONOMY_START, infra.metrics()),
              infra.jdbi(),
              runs,
              new TaxonomyStartWorker.Settings(
                  settings.getServiceUrl(),
                  settings.getServiceToken(),
                  settings.getStartMaxAttempts(),
                  settings.getStartRetryBackoffBase().toJavaDuration(),
                  settings.getPollInterval().toJavaDuration(),
                  Duration.ofSeconds(settings.getStartHttpTimeoutSeconds()))));
    }
    return capability
        .managed(
            new TaxonomyReaper(
                infra.jdbi(),
                runs,
                settings.getStuckRunTimeoutSeconds(),
                settings.getReaperIntervalSeconds()))
        .build();
  }
}
