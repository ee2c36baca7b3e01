package org.feedbackhub.modules;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import org.feedbackhub.HubConfiguration;
import org.feedbackhub.admin.RecentTenants;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.db.HikariPoolFactory;
import org.feedbackhub.tenant.TenantWriteLock;
import org.jdbi.v3.core.Jdbi;

/**
 * What the composition root builds before any capability, shared by all of them.
 *
 * @param configuration the parsed configuration, read only
 * @param environment the Dropwizard environment, for executors (managed where they are built)
 * @param applicationPool the application's pool settings, which the lock monitor's pool derives
 *     from
 * @param jdbi the application's Jdbi
 * @param lock the tenant write lock every tenant-owned write takes
 * @param recentTenants the tenants the lock module saw last, which the console names
 * @param purge the {@code /data} purge, shared by the API and the admin task
 */
public record Infrastructure(
    HubConfiguration configuration,
    Environment environment,
    HikariPoolFactory applicationPool,
    Jdbi jdbi,
    TenantWriteLock lock,
    RecentTenants recentTenants,
    TenantPurgeService purge) {

  public MetricRegistry metrics() {
    return environment.metrics();
  }

  public ObjectMapper objectMapper() {
    return environment.getObjectMapper();
  }
}
