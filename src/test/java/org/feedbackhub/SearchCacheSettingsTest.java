package org.feedbackhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.util.Map;
import org.apache.commons.text.StringSubstitutor;
import org.feedbackhub.embeddings.EmbeddingsFactory;
import org.junit.jupiter.api.Test;

/** The semantic-search cache's bounds in {@code config.yml}: defaults and environment overrides. */
class SearchCacheSettingsTest {
  private static EmbeddingsFactory load(Map<String, String> env) throws Exception {
    YamlConfigurationFactory<HubConfiguration> factory =
        new YamlConfigurationFactory<>(
            HubConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
    return factory
        .build(
            new SubstitutingSourceProvider(
                new FileConfigurationSourceProvider(), new StringSubstitutor(env)),
            "config.yml")
        .getEmbeddings();
  }

  @Test
  void defaultsBoundVectorsAndTenants() throws Exception {
    EmbeddingsFactory settings = load(Map.of());
    assertThat(settings.getSearchCacheMaxVectors()).isEqualTo(100_000);
    assertThat(settings.getSearchCacheMaxTenants()).isEqualTo(1000);
  }

  @Test
  void environmentOverridesTheBounds() throws Exception {
    EmbeddingsFactory settings =
        load(
            Map.of(
                "EMBEDDING_SEARCH_CACHE_MAX_VECTORS", "1100000",
                "EMBEDDING_SEARCH_CACHE_MAX_TENANTS", "25"));
    assertThat(settings.getSearchCacheMaxVectors()).isEqualTo(1_100_000);
    assertThat(settings.getSearchCacheMaxTenants()).isEqualTo(25);
  }
}
