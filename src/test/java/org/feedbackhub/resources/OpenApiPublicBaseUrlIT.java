package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import org.feedbackhub.testing.HubApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code PUBLIC_BASE_URL} replaces the request-derived server, e.g. behind a reverse proxy. */
class OpenApiPublicBaseUrlIT {
  static final HubApp APP =
      HubApp.builder().set("publicBaseUrl", "https://hub.example.com/hub/").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void servedServersIsTheConfiguredPublicBaseUrl() throws IOException {
    for (String format : new String[] {"json", "yaml"}) {
      String body =
          APP.client().target(APP.baseUrl() + "/openapi." + format).request().get(String.class);
      ObjectMapper mapper =
          format.equals("json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
      JsonNode servers = mapper.readTree(body).get("servers");
      assertThat(servers).hasSize(1);
      assertThat(servers.get(0).get("url").asText()).isEqualTo("https://hub.example.com/hub");
      assertThat(servers.get(0).get("description").asText()).isEqualTo("Current Hub instance");
    }
  }
}
