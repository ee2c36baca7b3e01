package org.feedbackhub.modules;

import org.feedbackhub.admin.AdminResponses;
import org.feedbackhub.admin.LockMonitorPool;
import org.feedbackhub.admin.PurgeTenantRecordsServlet;
import org.feedbackhub.admin.PurgeTenantServlet;
import org.feedbackhub.admin.ServletTask;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.TenantSettingsService;
import org.feedbackhub.events.RecordsPurgeFactory;
import org.feedbackhub.events.RecordsPurgeWorker;
import org.feedbackhub.jobs.JobQueue;
import org.feedbackhub.resources.TenantRecordsPurgeResource;
import org.feedbackhub.resources.TenantsResource;

/**
 * Tenants and purges: the tenants resource (the {@code /data} purge and the settings) and the
 * records-only purge resource on the API port, both purges as admin servlets, the {@code /data}
 * purge as a task, and the records-only purge's worker unless switched off.
 */
public final class TenantsCapability {
  private TenantsCapability() {}

  public static Capability build(Infrastructure infra) {
    RecordsPurgeFactory settings = infra.configuration().getRecordsPurge();
    JobQueue queue = new JobQueue(infra.jdbi(), RecordsPurgeWorker.TOPIC, infra.metrics());
    RecordsPurgeService recordsPurge =
        new RecordsPurgeService(
            infra.jdbi(),
            infra.lock(),
            infra.configuration().purgeLockTimeout(),
            infra.metrics(),
            LockMonitorPool.APPLICATION_NAME,
            RecordsPurgeWorker.enqueuer(queue));
    AdminResponses responses = new AdminResponses(infra.objectMapper());
    Capability.Builder capability =
        Capability.builder()
            .resource(
                new TenantsResource(
                    infra.purge(), new TenantSettingsService(infra.jdbi(), infra.lock())))
            .resource(new TenantRecordsPurgeResource(recordsPurge))
            .adminServlet(
                "purge-tenant",
                new PurgeTenantServlet(infra.purge(), responses),
                PurgeTenantServlet.PATH)
            .adminTask(new ServletTask(PurgeTenantServlet.PATH))
            .adminServlet(
                "purge-tenant-records",
                new PurgeTenantRecordsServlet(recordsPurge, responses),
                PurgeTenantRecordsServlet.PATH);
    if (settings.isWorkerEnabled()) {
      capability.managed(new RecordsPurgeWorker(queue, recordsPurge, settings.settings()));
    }
    return capability.build();
  }
}
