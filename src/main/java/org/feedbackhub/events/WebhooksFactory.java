package org.feedbackhub.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Arrays;
import java.util.List;

/**
 * Webhook settings: the reference's {@code WEBHOOK_*} limits, the private-target switch and the
 * outbox dispatcher's own knobs (enable switch, poll interval, retry backoff base).
 */
public class WebhooksFactory {
  @Min(1)
  @Max(10_000)
  private int deliveryMaxConcurrent = 100;

  @Min(1)
  @Max(100)
  private int deliveryMaxAttempts = 3;

  @Min(1)
  private int maxFanOutPerEvent = 500;

  @Min(0)
  private int maxCount = 500;

  @Min(1)
  @Max(3600)
  private int httpTimeoutSeconds = 15;

  @NotNull private String blacklist = "localhost,127.0.0.1,::1,169.254.169.254";

  private boolean allowPrivateTargets = false;

  private boolean dispatcherEnabled = true;

  @NotNull private Duration pollInterval = Duration.milliseconds(200);

  @NotNull private Duration retryBackoffBase = Duration.seconds(5);

  @Min(1)
  @Max(10_000)
  private int claimBatchSize = 100;

  @JsonProperty
  public int getDeliveryMaxConcurrent() {
    return deliveryMaxConcurrent;
  }

  @JsonProperty
  public void setDeliveryMaxConcurrent(int deliveryMaxConcurrent) {
    this.deliveryMaxConcurrent = deliveryMaxConcurrent;
  }

  @JsonProperty
  public int getDeliveryMaxAttempts() {
    return deliveryMaxAttempts;
  }

  @JsonProperty
  public void setDeliveryMaxAttempts(int deliveryMaxAttempts) {
    this.deliveryMaxAttempts = deliveryMaxAttempts;
  }

  @JsonProperty
  public int getMaxFanOutPerEvent() {
    return maxFanOutPerEvent;
  }

  @JsonProperty
  public void setMaxFanOutPerEvent(int maxFanOutPerEvent) {
    this.maxFanOutPerEvent = maxFanOutPerEvent;
  }

  @JsonProperty
  public int getMaxCount() {
    return maxCount;
  }

  @JsonProperty
  public void setMaxCount(int maxCount) {
    this.maxCount = maxCount;
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
  public String getBlacklist() {
    return blacklist;
  }

  @JsonProperty
  public void setBlacklist(String blacklist) {
    this.blacklist = blacklist == null ? "" : blacklist;
  }

  /** The blacklisted hosts, lower-cased, without blanks. */
  public List<String> blacklistedHosts() {
    return Arrays.stream(blacklist.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .map(String::toLowerCase)
        .toList();
  }

  @JsonProperty
  public boolean isAllowPrivateTargets() {
    return allowPrivateTargets;
  }

  @JsonProperty
  public void setAllowPrivateTargets(boolean allowPrivateTargets) {
    this.allowPrivateTargets = allowPrivateTargets;
  }

  @JsonProperty
  public boolean isDispatcherEnabled() {
    return dispatcherEnabled;
  }

  @JsonProperty
  public void setDispatcherEnabled(boolean dispatcherEnabled) {
    this.dispatcherEnabled = dispatcherEnabled;
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
  public int getClaimBatchSize() {
    return claimBatchSize;
  }

  @JsonProperty
  public void setClaimBatchSize(int claimBatchSize) {
    this.claimBatchSize = claimBatchSize;
  }
}
