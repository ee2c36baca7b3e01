package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Response;
import org.feedbackhub.testing.HubApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HealthResourceIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension
  static final io.dropwizard.testing.junit5.DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  void healthAnswersOkWithoutAuthentication() {
    Response response = APP.client().target(APP.baseUrl() + "/health").request().get();
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(response.readEntity(String.class)).isEqualTo("OK");
    assertThat(response.getHeaderString("X-Request-ID")).isNotBlank();
  }
}
