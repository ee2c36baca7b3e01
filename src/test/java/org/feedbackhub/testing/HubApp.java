package org.feedbackhub.testing;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.feedbackhub.HubApplication;
import org.feedbackhub.HubConfiguration;

/**
 * A full application on random ports against the {@link TestDatabase}, for {@code *IT} tests:
 * declare {@code static final HubApp APP = HubApp.builder().build();} and register {@link
 * #extension()} with {@code @RegisterExtension}.
 */
public final class HubApp {
  public static final String API_KEY = "test-api-key-12345";

  private final DropwizardAppExtension<HubConfiguration> extension;

  private HubApp(DropwizardAppExtension<HubConfiguration> extension) {
    this.extension = extension;
  }

  public static Builder builder() {
    return new Builder();
  }

  public DropwizardAppExtension<HubConfiguration> extension() {
    return extension;
  }

  public Client client() {
    return extension.client();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + extension.getLocalPort();
  }

  public String adminUrl() {
    return "http://127.0.0.1:" + extension.getAdminPort();
  }

  /** A request to {@code path} (which may carry a query) with the API key. */
  public Invocation.Builder request(String path) {
    return client()
        .target(baseUrl() + path)
        .request(MediaType.APPLICATION_JSON_TYPE)
        .header("Authorization", "Bearer " + API_KEY);
  }

  public Response post(String path, String json) {
    return buffered(request(path).post(Entity.entity(json, MediaType.APPLICATION_JSON_TYPE)));
  }

  public Response patch(String path, String json) {
    return buffered(
        request(path).method("PATCH", Entity.entity(json, MediaType.APPLICATION_JSON_TYPE)));
  }

  public Response put(String path, String json) {
    return buffered(request(path).put(Entity.entity(json, MediaType.APPLICATION_JSON_TYPE)));
  }

  public Response get(String path) {
    return buffered(request(path).get());
  }

  public Response delete(String path) {
    return buffered(request(path).delete());
  }

  /**
   * Reads the whole body now, which hands the connection back to the client's pool: tests that only
   * look at the status would otherwise leak pooled connections until requests time out.
   */
  private static Response buffered(Response response) {
    response.bufferEntity();
    return response;
  }

  /** Builds a {@link HubApp} with settings overridden as environment variables would. */
  public static final class Builder {
    private final List<ConfigOverride> overrides = new ArrayList<>();
    private final String prefix = "dw" + UUID.randomUUID().toString().replace("-", "");
    private Supplier<String> databaseUrl = () -> TestDatabase.get().databaseUrl();

    private Builder() {
      set("apiKey", API_KEY);
      set("server.applicationConnectors[0].port", "0");
      set("server.adminConnectors[0].port", "0");
      set("database.maxConnections", "10");
      set("logging.level", "WARN");
      set("server.requestLog.appenders[0].threshold", "OFF");
    }

    /** Overrides a configuration path, e.g. {@code tenantPurgeLockTimeoutSeconds}. */
    public Builder set(String path, String value) {
      overrides.add(ConfigOverride.config(prefix, path, value));
      return this;
    }

    /**
     * Points the application at another database than the {@link TestDatabase}, read when the
     * application starts (a server the test starts itself).
     */
    public Builder databaseUrl(Supplier<String> url) {
      this.databaseUrl = url;
      return this;
    }

    public HubApp build() {
      List<ConfigOverride> all = new ArrayList<>(overrides);
      all.add(ConfigOverride.config(prefix, "database.url", databaseUrl));
      return new HubApp(
          new DropwizardAppExtension<>(
              HubApplication.class, "config.yml", prefix, all.toArray(new ConfigOverride[0])));
    }
  }
}
