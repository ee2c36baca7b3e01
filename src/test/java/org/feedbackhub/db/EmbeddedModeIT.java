package org.feedbackhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.feedbackhub.testing.FreePorts;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service as the README runs it: no {@code DATABASE_URL}, so it starts its own PostgreSQL on a
 * fresh data folder, migrates it and serves from it.
 */
class EmbeddedModeIT {
  static final Path DATA =
      Path.of("target", "embedded-mode-it", Long.toString(ProcessHandle.current().pid()))
          .toAbsolutePath();

  static final int PORT = FreePorts.any();

  static final HubApp APP =
      HubApp.builder()
          .databaseUrl(() -> "")
          .set("database.embeddedDataDirectory", DATA.toString())
          .set("database.embeddedPort", Integer.toString(PORT))
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void aFreshDataFolderIsInitialisedMigratedAndServed() throws Exception {
    String tenant = TenantIds.fresh("embedded");
    try (Response created =
        APP.post(
            "/v1/feedback-records",
            """
            {"source_type":"s","field_id":"f","field_type":"text","tenant_id":"%s",
             "submission_id":"one","value_text":"kept in the embedded server"}
            """
                .formatted(tenant))) {
      assertThat(created.getStatus()).isEqualTo(201);
    }
    try (Response count = APP.get("/v1/feedback-records/count?tenant_id=" + tenant)) {
      assertThat(count.readEntity(String.class)).isEqualTo("{\"count\":1}");
    }

    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + PORT + "/postgres?user=postgres");
        Statement s = c.createStatement();
        ResultSet data = s.executeQuery("SHOW data_directory")) {
      data.next();
      assertThat(Path.of(data.getString(1)).toRealPath()).isEqualTo(DATA.toRealPath());
    }
  }
}
