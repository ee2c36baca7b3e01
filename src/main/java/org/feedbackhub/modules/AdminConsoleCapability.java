package org.feedbackhub.modules;

import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.servlets.assets.AssetServlet;
import java.nio.charset.StandardCharsets;
import org.feedbackhub.admin.AdminAccessFilter;
import org.feedbackhub.admin.AdminMethods;
import org.feedbackhub.admin.AdminResponses;
import org.feedbackhub.admin.AdminSettings;
import org.feedbackhub.admin.ConsoleMetricsServlet;
import org.feedbackhub.admin.LockMonitor;
import org.feedbackhub.admin.LockMonitorPool;
import org.feedbackhub.admin.LockMonitorServlet;
import org.feedbackhub.admin.PrometheusServlets;
import org.feedbackhub.admin.TaskRequestGuard;
import org.feedbackhub.admin.TenantCountsServlet;
import org.feedbackhub.http.RequestIds;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The admin console: the access filter in front of the whole admin port, the lock monitor feed (on
 * its own small pool), the console page and its JSON, and the Prometheus text. The admin context
 * has no Jersey, so each is a servlet; exact paths win over Dropwizard's own {@code /*} and {@code
 * /tasks/*} servlets.
 */
public final class AdminConsoleCapability {
  private AdminConsoleCapability() {}

  public static Capability build(Infrastructure infra) {
    AdminSettings settings = infra.configuration().adminSettings();
    AdminResponses responses = new AdminResponses(infra.objectMapper());
    ManagedDataSource monitorPool =
        LockMonitorPool.settings(infra.applicationPool(), settings)
            .build(infra.metrics(), infra.environment().healthChecks(), "lock-monitor");
    Jdbi monitorJdbi = Jdbi.create(monitorPool).installPlugin(new PostgresPlugin());
    monitorJdbi.installPlugin(new SqlObjectPlugin());
    LockMonitor monitor =
        new LockMonitor(monitorJdbi, infra.recentTenants(), LockMonitorPool.APPLICATION_NAME);
    return Capability.builder()
        .managed(monitorPool)
        .adminFilter(
            "admin-access",
            new AdminAccessFilter(
                settings.getUser(), settings.getPassword(), settings.allowedHostNames(), responses),
            false,
            "/*")
        // Registered after, and so (matchAfter false prepends) run before, the access filter: the
        // admin's problems, refusals included, carry a request id, echoed in X-Request-ID as on
        // the API.
        .adminFilter("request-id", new RequestIds(), false, "/*")
        .adminFilter("admin-methods", new AdminMethods(responses), true, "/*")
        .adminFilter(
            "task-request-guard", new TaskRequestGuard(responses), true, TaskRequestGuard.PATH)
        .adminServlet(
            "lock-monitor", new LockMonitorServlet(monitor, responses), LockMonitorServlet.PATH)
        .adminServlet(
            "console-metrics",
            new ConsoleMetricsServlet(
                infra.metrics(), monitorJdbi, responses, settings.getPurgeHistoryLimit()),
            ConsoleMetricsServlet.PATH)
        .adminServlet(
            "tenant-counts",
            new TenantCountsServlet(infra.jdbi(), responses),
            TenantCountsServlet.PATH)
        .adminServlet(
            "prometheus",
            PrometheusServlets.metricsServlet(infra.metrics()),
            PrometheusServlets.PATH)
        .adminServlet(
            "console",
            new AssetServlet("/admin-ui", "/console", "index.html", StandardCharsets.UTF_8),
            "/console/*")
        .build();
  }
}
