package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.feedbackhub.testing.WebhookFixtures.createWebhook;

import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.HubApplication;
import org.feedbackhub.HubConfiguration;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole {@code /prometheus} output passes {@code promtool check metrics} (Prometheus's own
 * parser and linter: types, {@code _total} on counters, help text, base units), and the tenant
 * write conflict, purge and webhook metrics have the types and names Prometheus users expect. Runs
 * where Debian's promtool is installed ({@code .ci/install-promtool}); under CI (the {@code CI}
 * variable set, as {@code .ci/run} runs) a missing promtool fails instead of skipping.
 */
class PrometheusExpositionIT {
  static final HubApp APP =
      HubApp.builder()
          .set("webhooks.allowPrivateTargets", "true")
          .set("webhooks.blacklist", "")
          .set("webhooks.pollInterval", "50ms")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static final WebhookReceiver RECEIVER = new WebhookReceiver();

  static String promtool;

  @BeforeAll
  static void findPromtool() {
    promtool = onPath("promtool");
    boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
    if (!ci) {
      Assumptions.assumeTrue(promtool != null, "needs promtool on PATH (.ci/install-promtool)");
    }
    assertThat(promtool).as("promtool on PATH under CI (.ci/install-promtool)").isNotNull();
  }

  @AfterAll
  static void stopReceiver() {
    RECEIVER.close();
  }

  @Test
  void theWholeExpositionPassesPromtoolAndTheHubMetricsHaveTheirTypes() throws Exception {
    // The JVM's metrics, which the server command registers and the test extension does not.
    Bootstrap<HubConfiguration> jvm = new Bootstrap<>(new HubApplication());
    jvm.setMetricRegistry(EXT.getEnvironment().metrics());
    jvm.registerMetrics();
    String tenant = TenantIds.fresh();
    try (HeldTenantLock purge = HeldTenantLock.exclusive(tenant)) {
      assertThat(
              APP.post("/v1/feedback-records", PurgeTenantServletIT.record(tenant, "s1"))
                  .getStatus())
          .isEqualTo(409);
    }
    AdminHttp.post(
        APP.adminUrl() + PurgeTenantServlet.PATH + "?tenant_id=" + tenant, AdminHttp.csrf());
    createWebhook(APP, TenantIds.fresh(), RECEIVER.url("prometheus"), null);
    // A deadline, not a pace: on a loaded machine the first delivery can take a while.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> scrape().contains("hub_webhook_deliveries_total{"));

    String text = scrape();

    assertThat(type(text, "hub_tenant_write_conflicts_total")).isEqualTo("counter");
    assertThat(text)
        .contains(
            "hub_tenant_write_conflicts_total{direction=\"writer_refused\","
                + "operation=\"feedback_record.create\"} 1")
        .doesNotContain("operation=\"total\"")
        .doesNotContain("_total_total");
    assertThat(type(text, "hub_tenant_purges_total")).isEqualTo("counter");
    assertThat(text).contains("hub_tenant_purges_total{outcome=\"ok\"} 1");
    assertThat(type(text, "hub_tenant_purge_duration_seconds")).isEqualTo("summary");
    assertThat(text)
        .contains("hub_tenant_purge_duration_seconds{quantile=\"0.99\"}")
        .contains("hub_tenant_purge_duration_seconds_count 1")
        .contains("hub_tenant_purge_duration_seconds_sum ");
    assertThat(type(text, "hub_tenant_purge_lock_wait_seconds")).isEqualTo("summary");
    assertThat(type(text, "hub_tenant_purge_paused_batches_total")).isEqualTo("counter");
    assertThat(type(text, "hub_webhook_deliveries_total")).isEqualTo("counter");
    assertThat(text)
        .contains(
            "hub_webhook_deliveries_total{event_type=\"webhook.created\",status=\"success\"} 1");
    assertThat(type(text, "hub_webhook_delivery_duration_seconds")).isEqualTo("summary");
    assertThat(type(text, "hub_webhook_deliveries_pending")).isEqualTo("gauge");
    assertThat(type(text, "hub_outbox_depth")).isEqualTo("gauge");
    assertThat(text).contains("hub_outbox_depth{topic=\"event\"} ");
    assertThat(type(text, "hikaricp_connections")).isEqualTo("gauge");
    assertThat(text)
        .contains("hikaricp_connections_max{pool=\"postgresql\"} ")
        .contains("hikaricp_connections_max{pool=\"lock-monitor\"} ")
        .contains("jvm_threads ")
        .contains("# HELP hub_tenant_write_conflicts_total Tenant write conflicts");
    assertThat(text.lines().filter(line -> line.startsWith("# TYPE ")))
        .as("every family is typed")
        .hasSize((int) text.lines().filter(line -> line.startsWith("# HELP ")).count());

    promtoolAccepts(text);
  }

  static String scrape() {
    AdminHttp.Reply reply = AdminHttp.get(APP.adminUrl() + PrometheusServlets.PATH);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    return reply.body();
  }

  /** The {@code # TYPE} of {@code family}, or null. */
  static String type(String text, String family) {
    return text.lines()
        .filter(line -> line.startsWith("# TYPE " + family + " "))
        .map(line -> line.substring(("# TYPE " + family + " ").length()))
        .findFirst()
        .orElse(null);
  }

  /** Runs {@code promtool check metrics} on {@code text}; its complaints fail the test. */
  static void promtoolAccepts(String text) throws Exception {
    Path input = Files.createTempFile("feedback-hub-prometheus", ".txt");
    try {
      Files.writeString(input, text, StandardCharsets.UTF_8);
      Process check =
          new ProcessBuilder(promtool, "check", "metrics")
              .redirectInput(input.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(output).as("promtool check metrics").isEmpty();
      assertThat(check.exitValue()).as("promtool exit code: %s", output).isZero();
    } finally {
      Files.deleteIfExists(input);
    }
  }

  static String onPath(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
