package org.feedbackhub.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/**
 * Taxonomy settings: the reference's {@code TAXONOMY_*} and {@code HUB_INTERNAL_API_TOKEN}, plus
 * the start-job worker's own knobs (enable switch, poll interval, attempts, backoff base).
 *
 * @implNote Jackson binds each {@code @JsonProperty} field directly; only the strings that are
 *     normalised on the way in bind through their setter.
 */
public class TaxonomyFactory {
  @NotNull private String serviceUrl = "";
  @NotNull private String serviceToken = "";
  @NotNull private String internalApiToken = "";
  @NotNull private String embeddingModel = "";

  @JsonProperty
  @Min(1)
  private int minEmbeddedRecords = 20;

  @JsonProperty
  @Min(1)
  private int stuckRunTimeoutSeconds = 1800;

  @JsonProperty
  @Min(1)
  private int reaperIntervalSeconds = 60;

  @JsonProperty private boolean workerEnabled = true;

  /** The JDK's scheduler refuses a zero delay: refused here at load, not at start. */
  @JsonProperty
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  private Duration pollInterval = Duration.milliseconds(500);

  @JsonProperty
  @Min(1)
  @Max(100)
  private int startMaxAttempts = 5;

  @JsonProperty @NotNull private Duration startRetryBackoffBase = Duration.seconds(2);

  @JsonProperty
  @Min(1)
  @Max(3600)
  private int startHttpTimeoutSeconds = 15;

  @JsonProperty
  public String getServiceUrl() {
    return serviceUrl;
  }

  @JsonProperty
  public void setServiceUrl(String serviceUrl) {
    this.serviceUrl = serviceUrl == null ? "" : serviceUrl.trim();
  }

  @JsonProperty
  public String getServiceToken() {
    return serviceToken;
  }

  @JsonProperty
  public void setServiceToken(String serviceToken) {
    this.serviceToken = serviceToken == null ? "" : serviceToken;
  }

  @JsonProperty
  public String getInternalApiToken() {
    return internalApiToken;
  }

  @JsonProperty
  public void setInternalApiToken(String internalApiToken) {
    this.internalApiToken = internalApiToken == null ? "" : internalApiToken;
  }

  @JsonProperty
  public String getEmbeddingModel() {
    return embeddingModel;
  }

  @JsonProperty
  public void setEmbeddingModel(String embeddingModel) {
    this.embeddingModel = embeddingModel == null ? "" : embeddingModel.trim();
  }

  public int getMinEmbeddedRecords() {
    return minEmbeddedRecords;
  }

  public int getStuckRunTimeoutSeconds() {
    return stuckRunTimeoutSeconds;
  }

  public int getReaperIntervalSeconds() {
    return reaperIntervalSeconds;
  }

  public boolean isWorkerEnabled() {
    return workerEnabled;
  }

  public Duration getPollInterval() {
    return pollInterval;
  }

  public int getStartMaxAttempts() {
    return startMaxAttempts;
  }

  public Duration getStartRetryBackoffBase() {
    return startRetryBackoffBase;
  }

  public int getStartHttpTimeoutSeconds() {
    return startHttpTimeoutSeconds;
  }

  /** True when runs can be started: a compute service URL is configured. */
  public boolean serviceConfigured() {
    return !serviceUrl.isBlank();
  }

  /** True when the internal API is mounted. */
  public boolean internalApiEnabled() {
    return !internalApiToken.isBlank();
  }
}
