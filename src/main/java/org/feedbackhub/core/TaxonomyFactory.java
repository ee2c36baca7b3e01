package org.feedbackhub.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Taxonomy settings: the reference's {@code TAXONOMY_*} and {@code HUB_INTERNAL_API_TOKEN}, plus
 * the start-job worker's own knobs (enable switch, poll interval, attempts, backoff base).
 */
public class TaxonomyFactory {
  @NotNull private String serviceUrl = "";
  @NotNull private String serviceToken = "";
  @NotNull private String internalApiToken = "";
  @NotNull private String embeddingModel = "";

  @Min(1)
  private int minEmbeddedRecords = 20;

  @Min(1)
  private int stuckRunTimeoutSeconds = 1800;

  @Min(1)
  private int reaperIntervalSeconds = 60;

  private boolean workerEnabled = true;

  @NotNull private Duration pollInterval = Duration.milliseconds(500);

  @Min(1)
  @Max(100)
  private int startMaxAttempts = 5;

  @NotNull private Duration startRetryBackoffBase = Duration.seconds(2);

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

  @JsonProperty
  public int getMinEmbeddedRecords() {
    return minEmbeddedRecords;
  }

  @JsonProperty
  public void setMinEmbeddedRecords(int minEmbeddedRecords) {
    this.minEmbeddedRecords = minEmbeddedRecords;
  }

  @JsonProperty
  public int getStuckRunTimeoutSeconds() {
    return stuckRunTimeoutSeconds;
  }

  @JsonProperty
  public void setStuckRunTimeoutSeconds(int stuckRunTimeoutSeconds) {
    this.stuckRunTimeoutSeconds = stuckRunTimeoutSeconds;
  }

  @JsonProperty
  public int getReaperIntervalSeconds() {
    return reaperIntervalSeconds;
  }

  @JsonProperty
  public void setReaperIntervalSeconds(int reaperIntervalSeconds) {
    this.reaperIntervalSeconds = reaperIntervalSeconds;
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
  public int getStartMaxAttempts() {
    return startMaxAttempts;
  }

  @JsonProperty
  public void setStartMaxAttempts(int startMaxAttempts) {
    this.startMaxAttempts = startMaxAttempts;
  }

  @JsonProperty
  public Duration getStartRetryBackoffBase() {
    return startRetryBackoffBase;
  }

  @JsonProperty
  public void setStartRetryBackoffBase(Duration startRetryBackoffBase) {
    this.startRetryBackoffBase = startRetryBackoffBase;
  }

  @JsonProperty
  public int getStartHttpTimeoutSeconds() {
    return startHttpTimeoutSeconds;
  }

  @JsonProperty
  public void setStartHttpTimeoutSeconds(int startHttpTimeoutSeconds) {
    this.startHttpTimeoutSeconds = startHttpTimeoutSeconds;
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
