package org.feedbackhub.embeddings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Embedding settings: the reference's {@code EMBEDDING_*} variables, plus the worker's and the
 * search cache's own knobs. An empty provider switches embeddings off.
 *
 * @implNote Jackson binds each {@code @JsonProperty} field directly; only the strings that are
 *     normalised on the way in bind through their setter.
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

  @JsonProperty
  @Min(1)
  @Max(1000)
  private int maxConcurrent = 5;

  @JsonProperty
  @Min(1)
  @Max(100)
  private int maxAttempts = 3;

  @JsonProperty private boolean normalize = false;

  @JsonProperty private boolean workerEnabled = true;

  /** The JDK's scheduler refuses a zero delay: refused here at load, not at start. */
  @JsonProperty
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  private Duration pollInterval = Duration.milliseconds(500);

  @JsonProperty @NotNull private Duration retryBackoffBase = Duration.seconds(5);

  @JsonProperty
  @Min(1)
  @Max(2048)
  private int batchSize = 32;

  @JsonProperty
  @Min(1)
  @Max(600)
  private int httpTimeoutSeconds = 30;

  @JsonProperty @NotNull private String cacheDirectory = "./data/djl";

  @JsonProperty
  @Min(0)
  private int searchCacheMaxVectors = 100_000;

  @JsonProperty
  @Min(1)
  private int searchCacheMaxTenants = 1000;

  @JsonProperty @NotNull private Duration searchCacheRevalidateAfter = Duration.seconds(1);

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

  public int getMaxConcurrent() {
    return maxConcurrent;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public boolean isNormalize() {
    return normalize;
  }

  public boolean isWorkerEnabled() {
    return workerEnabled;
  }

  public Duration getPollInterval() {
    return pollInterval;
  }

  public Duration getRetryBackoffBase() {
    return retryBackoffBase;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public int getHttpTimeoutSeconds() {
    return httpTimeoutSeconds;
  }

  public String getCacheDirectory() {
    return cacheDirectory;
  }

  public int getSearchCacheMaxVectors() {
    return searchCacheMaxVectors;
  }

  public int getSearchCacheMaxTenants() {
    return searchCacheMaxTenants;
  }

  public Duration getSearchCacheRevalidateAfter() {
    return searchCacheRevalidateAfter;
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
