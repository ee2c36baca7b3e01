package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import org.feedbackhub.HubApplication;
import org.feedbackhub.HubConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** With the database out of reach the feed answers a JSON error object, not a hang or a 500. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LockMonitorUnavailableIT {
  static final DropwizardAppExtension<HubConfiguration> APP =
      new DropwizardAppExtension<>(
          HubApplication.class,
          "config.yml",
          "dwunreachable",
          ConfigOverride.config("dwunreachable", "apiKey", "k"),
          ConfigOverride.config(
              "dwunreachable", "database.url", "jdbc:postgresql://127.0.0.1:1/none"),
          ConfigOverride.config("dwunreachable", "database.migrateOnStart", "false"),
          ConfigOverride.config("dwunreachable", "server.applicationConnectors[0].port", "0"),
          ConfigOverride.config("dwunreachable", "server.adminConnectors[0].port", "0"),
          ConfigOverride.config("dwunreachable", "logging.level", "OFF"),
          ConfigOverride.config(
              "dwunreachable", "server.requestLog.appenders[0].threshold", "OFF"));

  @Test
  void feedAnswers503WithAnErrorObject() {
    AdminHttp.Reply reply =
        AdminHttp.get("http://127.0.0.1:" + APP.getAdminPort() + LockMonitorServlet.PATH);

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().get("error").asText()).isEqualTo("database_unavailable");
    assertThat(reply.body()).doesNotContain("127.0.0.1:1").doesNotContain("Exception");
  }

  @Test
  void metricsStillAnswerWithoutTheHistory() {
    AdminHttp.Reply reply =
        AdminHttp.get("http://127.0.0.1:" + APP.getAdminPort() + ConsoleMetricsServlet.PATH);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("history_error").asText()).isNotEmpty();
    assertThat(reply.json().get("tenant_write_conflicts").get("total").asLong()).isZero();
  }
}
