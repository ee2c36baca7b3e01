package org.feedbackhub.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The rules every vector passes: normalisation on request, one dimension per model, finite. */
class EmbedderTest {
  static EmbeddingProvider provider(OptionalInt declared, Function<String, float[]> vectors) {
    return new EmbeddingProvider() {
      @Override
      public String model() {
        return "m";
      }

      @Override
      public OptionalInt dimension() {
        return declared;
      }

      @Override
      public List<float[]> embed(List<String> texts) {
        return texts.stream().map(vectors).toList();
      }
    };
  }

  @Test
  void normalisesOnlyWhenAsked() {
    EmbeddingProvider p = provider(OptionalInt.of(2), t -> new float[] {3, 4});
    assertThat(new Embedder(p, false, OptionalInt::empty).embed("x")).containsExactly(3, 4);
    float[] unit = new Embedder(p, true, OptionalInt::empty).embed("x");
    assertThat(unit[0]).isCloseTo(0.6f, within(1e-6f));
    assertThat(unit[1]).isCloseTo(0.8f, within(1e-6f));
  }

  @Test
  void theDeclaredDimensionWinsAndOthersAreRefused() {
    Embedder embedder =
        new Embedder(
            provider(OptionalInt.of(3), t -> new float[] {1, 2}), false, () -> OptionalInt.of(2));
    assertThatThrownBy(() -> embedder.embed("x"))
        .isInstanceOf(Embedder.DimensionMismatchException.class);
  }

  @Test
  void withoutADeclaredDimensionTheStoredOneIsAskedOnceThenTheFirstSeenIsKept() {
    AtomicInteger asked = new AtomicInteger();
    Embedder embedder =
        new Embedder(
            provider(OptionalInt.empty(), t -> new float[t.length()]),
            false,
            () -> {
              asked.incrementAndGet();
              return OptionalInt.empty();
            });
    assertThat(embedder.embed("abc")).hasSize(3);
    assertThat(embedder.embed("xyz")).hasSize(3);
    assertThatThrownBy(() -> embedder.embed("four"))
        .isInstanceOf(Embedder.DimensionMismatchException.class);
    assertThat(asked.get()).isEqualTo(1);

    Embedder stored =
        new Embedder(
            provider(OptionalInt.empty(), t -> new float[t.length()]),
            false,
            () -> OptionalInt.of(4));
    assertThatThrownBy(() -> stored.embed("abc"))
        .isInstanceOf(Embedder.DimensionMismatchException.class);
    assertThat(stored.embed("four")).hasSize(4);
  }

  @Test
  void nonFiniteValuesAreRefused() {
    Embedder embedder =
        new Embedder(
            provider(OptionalInt.of(2), t -> new float[] {Float.NaN, 1}),
            false,
            OptionalInt::empty);
    assertThatThrownBy(() -> embedder.embed("x"))
        .isInstanceOf(Embedder.DimensionMismatchException.class);
  }
}
