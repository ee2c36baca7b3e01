package org.feedbackhub.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process model: loads here, gives 384 normalised dimensions, ranks by meaning. */
class LocalEmbeddingProviderTest {
  static LocalEmbeddingProvider provider;
  static Path cache;

  @BeforeAll
  static void load() throws Exception {
    cache = Files.createTempDirectory("djl-cache");
    provider = LocalEmbeddingProvider.load(cache);
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }

  @Test
  void givesNormalisedVectorsOfTheDeclaredDimension() {
    List<float[]> vectors = provider.embed(List.of("hello world", "the checkout page is slow"));
    assertThat(vectors).hasSize(2);
    for (float[] vector : vectors) {
      assertThat(vector).hasSize(LocalEmbeddingProvider.DIMENSION);
      double squares = cosine(vector, vector);
      assertThat(squares).isCloseTo(1.0, within(1e-3));
    }
    assertThat(provider.model()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(provider.dimension()).hasValue(384);
  }

  @Test
  void ranksSentencesByMeaning() {
    List<float[]> v =
        provider.embed(
            List.of("the checkout page is slow", "payment takes forever", "love the new colors"));
    assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)));
  }
}
