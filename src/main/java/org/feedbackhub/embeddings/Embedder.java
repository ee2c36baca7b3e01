package org.feedbackhub.embeddings;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The configured provider with the rules every vector passes before use or storage: optional
 * normalisation ({@code EMBEDDING_NORMALIZE}), finite values, and one dimension per model — the
 * provider's declared one, else the one already stored for the model, else the first seen.
 */
public final class Embedder {
  private final EmbeddingProvider provider;
  private final boolean normalize;
  private final Supplier<OptionalInt> storedDimension;
  private volatile int dimension;

  /**
   * @param storedDimension the length of a vector already stored for the provider's model, if any
   */
  public Embedder(
      EmbeddingProvider provider, boolean normalize, Supplier<OptionalInt> storedDimension) {
    this.provider = provider;
    this.normalize = normalize;
    this.storedDimension = storedDimension;
    this.dimension = provider.dimension().orElse(0);
  }

  public String model() {
    return provider.model();
  }

  /**
   * Embeds {@code texts} and checks each vector.
   *
   * @throws EmbeddingProviderException when the provider fails
   * @throws DimensionMismatchException when a vector has the wrong length or is not finite
   */
  public List<float[]> embed(List<String> texts) {
    List<float[]> raw = provider.embed(texts);
    List<float[]> checked = new ArrayList<>(raw.size());
    for (float[] vector : raw) {
      checked.add(check(vector));
    }
    return checked;
  }

  /** One text's vector. */
  public float[] embed(String text) {
    return embed(List.of(text)).get(0);
  }

  private float[] check(float[] vector) {
    int expected = expectedDimension(vector.length);
    if (vector.length != expected) {
      throw new DimensionMismatchException(model(), expected, vector.length);
    }
    double squares = 0;
    for (float value : vector) {
      if (!Float.isFinite(value)) {
        throw new DimensionMismatchException(model(), expected, vector.length);
      }
      squares += (double) value * value;
    }
    if (!normalize || squares == 0) {
      return vector;
    }
    float[] unit = new float[vector.length];
    double norm = Math.sqrt(squares);
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / norm);
    }
    return unit;
  }

  private synchronized int expectedDimension(int seen) {
    if (dimension == 0) {
      dimension = storedDimension.get().orElse(seen);
    }
    return dimension;
  }

  /** A vector whose length differs from the model's dimension; it is never stored. */
  public static final class DimensionMismatchException extends RuntimeException {
    public DimensionMismatchException(String model, int expected, int actual) {
      super(
          "embedding of model "
              + model
              + " has "
              + actual
              + " dimensions (or non-finite values); expected "
              + expected);
    }
  }
}
