package org.feedbackhub.testing;

import java.util.Optional;
import org.feedbackhub.db.LibpqUrl;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The optional Testcontainers test database: asked for with {@code TEST_DATABASE=testcontainers},
 * used only when a Docker engine answers (these build machines have none, so the embedded server is
 * the default); the image is {@code TEST_DATABASE_IMAGE}, default {@code postgres:17}.
 */
final class TestcontainersPostgres {
  static final String ASK = "testcontainers";

  private TestcontainersPostgres() {}

  /** Whether the environment asks for a container. */
  static boolean askedFor(String setting) {
    return ASK.equalsIgnoreCase(setting == null ? "" : setting.trim());
  }

  /** A started container's address, or empty when no Docker engine is available. */
  static Optional<LibpqUrl> startIfDockerAvailable(String image) {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return Optional.empty();
    }
    PostgreSQLContainer<?> container = new PostgreSQLContainer<>(image);
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-container-stop"));
    return Optional.of(
        new LibpqUrl(container.getJdbcUrl(), container.getUsername(), container.getPassword()));
  }
}
