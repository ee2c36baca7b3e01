package org.feedbackhub.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

/** The embedding settings: a provider name is checked when the configuration is read. */
class EmbeddingsFactoryTest {
  private final Validator validator = Validators.newValidator();

  @Test
  void acceptsTheKnownProvidersInAnyCaseAndEmpty() {
    for (String provider : new String[] {"", "local", "OpenAI", " local "}) {
      EmbeddingsFactory factory = new EmbeddingsFactory();
      factory.setProvider(provider);
      assertThat(validator.validate(factory)).as(provider).isEmpty();
    }
  }

  @Test
  void refusesAnUnknownProviderAndOpenAiWithoutAModel() {
    EmbeddingsFactory bogus = new EmbeddingsFactory();
    bogus.setProvider("google");
    assertThat(validator.validate(bogus))
        .extracting(v -> v.getMessage())
        .containsExactly("must be local, openai or empty");

    EmbeddingsFactory noModel = new EmbeddingsFactory();
    noModel.setProvider("openai");
    assertThatThrownBy(noModel::build).hasMessageContaining("EMBEDDING_MODEL is required");
    assertThat(new EmbeddingsFactory().build()).isEmpty();
    assertThat(new EmbeddingsFactory().isEnabled()).isFalse();
  }
}
