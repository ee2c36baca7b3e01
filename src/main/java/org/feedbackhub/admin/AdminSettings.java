package org.feedbackhub.admin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.setup.AdminFactory;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Settings of the admin port: optional basic auth and the lock monitor's own connection.
 *
 * @implNote It extends Dropwizard's {@link AdminFactory} because Dropwizard already owns the {@code
 *     admin:} block of the configuration (health check and task settings); extending it keeps one
 *     {@code admin:} block instead of two half-blocks with confusingly similar names.
 */
public class AdminSettings extends AdminFactory {
  @NotNull private String user = "";

  @NotNull private String password = "";

  /** {@code ADMIN_ALLOWED_HOSTS}: host names the admin port answers to besides loopback ones. */
  @NotNull private String allowedHosts = "";

  /** Bounds every lock monitor query, so a slow {@code pg_locks} read cannot pile up polls. */
  @Min(1)
  @Max(60_000)
  private int monitorStatementTimeoutMs = 2000;

  @Min(1)
  @Max(60)
  private int monitorConnectTimeoutSeconds = 2;

  @Min(1)
  @Max(1000)
  private int purgeHistoryLimit = 20;

  @Min(16)
  @Max(100_000)
  private int recentTenantsCapacity = 4096;

  @JsonProperty
  public String getUser() {
    return user;
  }

  @JsonProperty
  public void setUser(String user) {
    this.user = user == null ? "" : user;
  }

  @JsonProperty
  public String getPassword() {
    return password;
  }

  @JsonProperty
  public void setPassword(String password) {
    this.password = password == null ? "" : password;
  }

  @JsonProperty
  public int getMonitorStatementTimeoutMs() {
    return monitorStatementTimeoutMs;
  }

  @JsonProperty
  public void setMonitorStatementTimeoutMs(int millis) {
    this.monitorStatementTimeoutMs = millis;
  }

  @JsonProperty
  public int getMonitorConnectTimeoutSeconds() {
    return monitorConnectTimeoutSeconds;
  }

  @JsonProperty
  public void setMonitorConnectTimeoutSeconds(int seconds) {
    this.monitorConnectTimeoutSeconds = seconds;
  }

  @JsonProperty
  public int getPurgeHistoryLimit() {
    return purgeHistoryLimit;
  }

  @JsonProperty
  public void setPurgeHistoryLimit(int limit) {
    this.purgeHistoryLimit = limit;
  }

  @JsonProperty
  public int getRecentTenantsCapacity() {
    return recentTenantsCapacity;
  }

  @JsonProperty
  public void setRecentTenantsCapacity(int capacity) {
    this.recentTenantsCapacity = capacity;
  }

  /** Basic auth is on when a user is set. */
  public boolean basicAuthEnabled() {
    return !user.isEmpty();
  }

  /** A user without a password (or the reverse) is a typo, not a wish for an open port. */
  @JsonIgnore
  @AssertTrue(message = "ADMIN_USER and ADMIN_PASSWORD must be set together")
  public boolean isCredentialsComplete() {
    return user.isEmpty() == password.isEmpty();
  }

  @JsonProperty
  public String getAllowedHosts() {
    return allowedHosts;
  }

  @JsonProperty
  public void setAllowedHosts(String hosts) {
    this.allowedHosts = hosts == null ? "" : hosts;
  }

  /** The allowed hosts, lower-cased, without blanks. */
  public java.util.Set<String> allowedHostNames() {
    return java.util.Arrays.stream(allowedHosts.split(","))
        .map(String::strip)
        .filter(h -> !h.isEmpty())
        .map(h -> h.toLowerCase(java.util.Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }
}
