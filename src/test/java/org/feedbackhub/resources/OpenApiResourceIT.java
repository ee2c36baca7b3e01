package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The served OpenAPI document. Its golden copy is regenerated with {@code mvn -q -B test
 * -Dtest=OpenApiResourceIT -Dopenapi.update=true} after a change to the API surface.
 */
class OpenApiResourceIT {
  static final HubApp APP = HubApp.builder().build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  /** Read from the source tree, not the classpath, so an update is visible without a rebuild. */
  static final Path GOLDEN = Path.of("src/test/resources/openapi/openapi.golden.json");

  static final String NORMALISED_SERVER = "http://localhost:8080";

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void servedDocumentMatchesTheGoldenFile() throws IOException {
    ObjectNode served = (ObjectNode) fetch("/openapi.json");
    served
        .putArray("servers")
        .addObject()
        .put("url", NORMALISED_SERVER)
        .put("description", OpenApiResource.SERVER_DESCRIPTION);
    String actual = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(served) + "\n";
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(GOLDEN).as("golden file missing; create it with -Dopenapi.update=true").exists();
    JsonNode goldenTree = JSON.readTree(GOLDEN.toFile());
    // JSON objects are unordered, and swagger-core's member order depends on what earlier tests in
    // the same JVM made it cache: compare as trees, and show a text diff only when they differ.
    if (served.equals(goldenTree)) {
      return;
    }
    String golden = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(goldenTree) + "\n";
    assertThat(actual)
        .as(
            "the served /openapi.json differs from %s; if the API change is intended, run"
                + " mvn -q -B test -Dtest=OpenApiResourceIT -Dopenapi.update=true",
            GOLDEN)
        .isEqualTo(golden);
  }

  @Test
  void jsonIsServedWithoutAuthAndWithSafeHeaders() {
    Reply response = Reply.of(APP.client().target(APP.baseUrl() + "/openapi.json").request().get());
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  @Test
  void yamlIsServedWithoutAuthAndDescribesTheSameDocument() throws IOException {
    Reply response = Reply.of(APP.client().target(APP.baseUrl() + "/openapi.yaml").request().get());
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/yaml");
    assertThat(response.header("Cache-Control")).isEqualTo("no-store");
    assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(response.body());
    assertThat(yaml).isEqualTo(fetch("/openapi.json"));
  }

  @Test
  void serversIsTheInstanceAsTheClientAddressedIt() {
    JsonNode servers = fetch("/openapi.json").get("servers");
    assertThat(servers).hasSize(1);
    assertThat(servers.get(0).get("url").asText()).isEqualTo(APP.baseUrl());
    assertThat(servers.get(0).get("description").asText()).isEqualTo("Current Hub instance");
  }

  @Test
  void infoAndGlobalBearerSecurity() {
    JsonNode doc = fetch("/openapi.json");
    assertThat(doc.at("/info/title").asText()).isEqualTo("feedback-hub");
    assertThat(doc.at("/info/version").asText()).isEqualTo("1.1.0");
    JsonNode scheme = doc.at("/components/securitySchemes/ApiKeyAuth");
    assertThat(scheme.get("type").asText()).isEqualTo("http");
    assertThat(scheme.get("scheme").asText()).isEqualTo("bearer");
    assertThat(scheme.get("bearerFormat").asText()).isEqualTo("API Key");
    assertThat(doc.get("security")).hasSize(1);
    assertThat(doc.at("/security/0/ApiKeyAuth").isArray()).isTrue();
  }

  @Test
  void internalRoutesAreNotDocumented() {
    JsonNode paths = fetch("/openapi.json").path("paths");
    paths
        .fieldNames()
        .forEachRemaining(path -> assertThat(path).startsWith("/v1/").doesNotContain("wadl"));
    assertThat(paths.has("/health")).isFalse();
    assertThat(paths.has("/openapi.{format}")).isFalse();
    assertThat(paths.has("/application.wadl")).isFalse();
  }

  private static JsonNode fetch(String path) {
    Reply response = Reply.of(APP.client().target(APP.baseUrl() + path).request().get());
    assertThat(response.status()).isEqualTo(200);
    return response.json();
  }
}
