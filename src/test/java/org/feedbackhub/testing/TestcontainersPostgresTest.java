package org.feedbackhub.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

class TestcontainersPostgresTest {
  @Test
  void onlyTheExplicitSettingAsksForAContainer() {
    assertThat(TestcontainersPostgres.askedFor("testcontainers")).isTrue();
    assertThat(TestcontainersPostgres.askedFor(" Testcontainers ")).isTrue();
    assertThat(TestcontainersPostgres.askedFor(null)).isFalse();
    assertThat(TestcontainersPostgres.askedFor("embedded")).isFalse();
  }

  @Test
  void withoutADockerEngineNoContainerIsStartedAndTheCallerFallsBack() {
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return; // a machine with Docker would start a real container here; this one checks the
      // fallback
    }
    assertThat(TestcontainersPostgres.startIfDockerAvailable("postgres:17")).isEmpty();
  }
}
