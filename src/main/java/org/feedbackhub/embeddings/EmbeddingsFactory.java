package org.feedbackhub.embeddings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Embedding settings: the reference's {@code EMBEDDING_*} variables, plus the worker's and the
 * search cache's own knobs. An empty provider switches embeddings off.
 */
public class EmbeddingsFactory {
  /** The provider value of the in-process model. */
  public static final String LOCAL = "local";

  /** The provider value of any OpenAI-compatible {@code /v1/embeddings} endpoint. */
  public static final String OPENAI = "openai";

  @NotNull
  @Pattern(regexp = "|local|openai", message = "must be local, openai or empty")
  private String provider = "";

  @NotNull private String model = "";

  @NotNull private String apiKey = "";

  @NotNull private String baseUrl = "https://api.openai.com";

  @Min(1)
  @Max(1000)
  private int maxConcurrent = 5;

  @Min(1)
  @Max(100)
  private int maxAttempts = 3;

  private boolean normalize = false;

  private boolean workerEnabled = true;

  @NotNull private Duration pollInterval = Duration.milliseconds(500);

  @NotNull private Duration retryBackoffBase = Duration.seconds(5);

  @Min(1)
  @Max(2048)
  private int batchSize = 32;

  @Min(1)
  @Max(600)
  private int httpTimeoutSeconds = 30;

  @NotNull private String cacheDirectory = "./data/djl";

  @Min(0)
  private int searchCacheMaxVectors = 100_000;

  @NotNull private Duration searchCacheRevalidateAfter = Duration.seconds(1);

  @JsonProperty
  public String getProvider() {
    return provider;
  }

  @JsonProperty
  public void setProvider(String provider) {
    this.provider = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
  }

  @JsonProperty
  public String getModel() {
    return model;
  }

  @JsonProperty
  public void setModel(String model) {
    this.model = model == null ? "" : model.trim();
  }

  @JsonProperty
  public String getApiKey() {
    return apiKey;
  }

  @JsonProperty
  public void setApiKey(String apiKey) {
    this.apiKey = apiKey == null ? "" : apiKey.trim();
  }

  @JsonProperty
  public String getBaseUrl() {
    return baseUrl;
  }

  @JsonProperty
  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl == null || baseUrl.isBlank() ? "https://api.openai.com" : baseUrl.trim();
  }

  @JsonProperty
  public int getMaxConcurrent() {
    return maxConcurrent;
  }

  @JsonProperty
  public void setMaxConcurrent(int maxConcurrent) {
    this.maxConcurrent = maxConcurrent;
  }

  @JsonProperty
  public int getMaxAttempts() {
    return maxAttempts;
  }

  @JsonProperty
  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  @JsonProperty
  public boolean isNormalize() {
    return normalize;
  }

  @JsonProperty
  public void setNormalize(boolean normalize) {
    this.normalize = normalize;
  }

  @JsonProperty
  public boolean isWorkerEnabled() {
    return workerEnabled;
  }

  @JsonProperty
  public void setWorkerEnabled(boolean workerEnabled) {
    this.workerEnabled = workerEnabled;
  }

  @JsonProperty
  public Duration getPollInterval() {
    return pollInterval;
  }

  @JsonProperty
  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  @JsonProperty
  public Duration getRetryBackoffBase() {
    return retryBackoffBase;
  }

  @JsonProperty
  public void setRetryBackoffBase(Duration retryBackoffBase) {
    this.retryBackoffBase = retryBackoffBase;
  }

  @JsonProperty
  public int getBatchSize() {
    return batchSize;
  }

  @JsonProperty
  public void setBatchSize(int batchSize) {
    this.batchSize = batchSize;
  }

  @JsonProperty
  public int getHttpTimeoutSeconds() {
    return httpTimeoutSeconds;
  }

  @JsonProperty
  public void setHttpTimeoutSeconds(int httpTimeoutSeconds) {
    this.httpTimeoutSeconds = httpTimeoutSeconds;
  }

  @JsonProperty
  public String getCacheDirectory() {
    return cacheDirectory;
  }

  @JsonProperty
  public void setCacheDirectory(String cacheDirectory) {
    this.cacheDirectory = cacheDirectory;
  }

  @JsonProperty
  public int getSearchCacheMaxVectors() {
    return searchCacheMaxVectors;
  }

  @JsonProperty
  public void setSearchCacheMaxVectors(int searchCacheMaxVectors) {
    this.searchCacheMaxVectors = searchCacheMaxVectors;
  }

  @JsonProperty
  public Duration getSearchCacheRevalidateAfter() {
    return searchCacheRevalidateAfter;
  }

  @JsonProperty
  public void setSearchCacheRevalidateAfter(Duration searchCacheRevalidateAfter) {
    this.searchCacheRevalidateAfter = searchCacheRevalidateAfter;
  }

  /** Whether a provider is configured; off means search and similar answer 503. */
  @JsonIgnore
  public boolean isEnabled() {
    return !provider.isEmpty();
  }

  /**
   * The configured provider, or empty when embeddings are off.
   *
   * @throws IllegalArgumentException when the provider name or its settings are invalid
   */
  public Optional<EmbeddingProvider> build() {
    switch (provider) {
      case "":
        return Optional.empty();
      case LOCAL:
        return Optional.of(LocalEmbeddingProvider.load(Path.of(cacheDirectory)));
      case OPENAI:
        if (model.isEmpty()) {
          throw new IllegalArgumentException(
              "EMBEDDING_MODEL is required with EMBEDDING_PROVIDER=openai");
        }
        return Optional.of(
            new OpenAiEmbeddingProvider(
                baseUrl, model, apiKey, java.time.Duration.ofSeconds(httpTimeoutSeconds)));
      default:
        throw new IllegalArgumentException(
            "EMBEDDING_PROVIDER must be local, openai or empty, not '" + provider + "'");
    }
  }
}
