package org.feedbackhub.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.core.Cidr;

/**
 * Webhook settings: the reference's {@code WEBHOOK_*} limits, the private-target switch and the
 * outbox dispatcher's own knobs (enable switch, poll interval, retry backoff base).
 *
 * @implNote Jackson binds each {@code @JsonProperty} field directly; only the strings that are
 *     normalised on the way in bind through their setter.
 */
public class WebhooksFactory {
  @JsonProperty
  @Min(1)
  @Max(10_000)
  private int deliveryMaxConcurrent = 100;

  @JsonProperty
  @Min(1)
  @Max(100)
  private int deliveryMaxAttempts = 3;

  @JsonProperty
  @Min(1)
  private int maxFanOutPerEvent = 500;

  @JsonProperty
  @Min(0)
  private int maxCount = 500;

  @JsonProperty
  @Min(1)
  @Max(3600)
  private int httpTimeoutSeconds = 15;

  @NotNull private String blacklist = "localhost,127.0.0.1,::1,169.254.169.254";

  @JsonProperty private boolean allowPrivateTargets = false;

  private List<Cidr> allowedCidrs = List.of();

  @JsonProperty private boolean dispatcherEnabled = true;

  /** The JDK's scheduler refuses a zero delay: refused here at load, not at start. */
  @JsonProperty
  @NotNull
  @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
  private Duration pollInterval = Duration.milliseconds(200);

  @JsonProperty @NotNull private Duration retryBackoffBase = Duration.seconds(5);

  @JsonProperty
  @Min(1)
  @Max(10_000)
  private int claimBatchSize = 100;

  public int getDeliveryMaxConcurrent() {
    return deliveryMaxConcurrent;
  }

  public int getDeliveryMaxAttempts() {
    return deliveryMaxAttempts;
  }

  public int getMaxFanOutPerEvent() {
    return maxFanOutPerEvent;
  }

  public int getMaxCount() {
    return maxCount;
  }

  public int getHttpTimeoutSeconds() {
    return httpTimeoutSeconds;
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

  /**
   * {@code WEBHOOK_ALLOWED_CIDRS}: comma-separated address blocks whose targets are permitted
   * although a special-purpose block contains them (a private network of receivers, say).
   *
   * @throws IllegalArgumentException for an entry that is not a block, so start-up stops
   */
  @JsonProperty
  public void setAllowedCidrs(String cidrs) {
    this.allowedCidrs =
        cidrs == null
            ? List.of()
            : Arrays.stream(cidrs.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Cidr::parse)
                .toList();
  }

  /** The parsed {@code WEBHOOK_ALLOWED_CIDRS}. */
  public List<Cidr> allowedCidrs() {
    return allowedCidrs;
  }

  public boolean isAllowPrivateTargets() {
    return allowPrivateTargets;
  }

  public boolean isDispatcherEnabled() {
    return dispatcherEnabled;
  }

  public Duration getPollInterval() {
    return pollInterval;
  }

  public Duration getRetryBackoffBase() {
    return retryBackoffBase;
  }

  public int getClaimBatchSize() {
    return claimBatchSize;
  }
}
