package org.feedbackhub;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.AdminFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.feedbackhub.admin.AdminSettings;
import org.feedbackhub.core.TaxonomyFactory;
import org.feedbackhub.db.DatabaseFactory;
import org.feedbackhub.embeddings.EmbeddingsFactory;
import org.feedbackhub.enrichment.EnrichmentFactory;
import org.feedbackhub.events.RecordsPurgeFactory;
import org.feedbackhub.events.WebhooksFactory;

/** Every setting of feedback-hub; {@code config.yml} fills each from an environment variable. */
public class HubConfiguration extends Configuration {
  /** The purge lock wait used when the configured one is not positive. */
  static final int DEFAULT_PURGE_LOCK_TIMEOUT_SECONDS = 5;

  @NotNull private String apiKey = "";

  /** Empty, or an absolute http(s) URL without query or fragment, as the reference requires. */
  @NotNull
  @Pattern(
      regexp = "|https?://[^/?#\\s]+(/[^?#\\s]*)?",
      message = "must be empty or an absolute http(s) URL without query or fragment")
  private String publicBaseUrl = "";

  @Valid @NotNull private DatabaseFactory database = new DatabaseFactory();

  private int tenantPurgeLockTimeoutSeconds = DEFAULT_PURGE_LOCK_TIMEOUT_SECONDS;

  /** The longest a request body may take to arrive, on both ports. */
  @NotNull
  private io.dropwizard.util.Duration requestBodyTimeout = io.dropwizard.util.Duration.seconds(60);

  @Valid @NotNull private WebhooksFactory webhooks = new WebhooksFactory();

  @Valid @NotNull private TaxonomyFactory taxonomy = new TaxonomyFactory();

  @Valid @NotNull private EmbeddingsFactory embeddings = new EmbeddingsFactory();

  @Valid @NotNull private EnrichmentFactory enrichment = new EnrichmentFactory();
  @Valid @NotNull private RecordsPurgeFactory recordsPurge = new RecordsPurgeFactory();

  public HubConfiguration() {
    super.setAdminFactory(new AdminSettings());
  }

  /**
   * Reads the {@code admin:} block as {@link AdminSettings}, Dropwizard's admin settings plus ours
   * (basic auth, lock monitor), so there is one {@code admin:} block.
   */
  @Override
  @JsonProperty("admin")
  @JsonDeserialize(as = AdminSettings.class)
  public void setAdminFactory(AdminFactory admin) {
    super.setAdminFactory(admin);
  }

  /** The admin port's settings. */
  public AdminSettings adminSettings() {
    return (AdminSettings) getAdminFactory();
  }

  @JsonProperty
  public String getApiKey() {
    return apiKey;
  }

  @JsonProperty
  public void setApiKey(String apiKey) {
    this.apiKey = apiKey == null ? "" : apiKey;
  }

  @JsonProperty
  public String getPublicBaseUrl() {
    return publicBaseUrl;
  }

  @JsonProperty
  public void setPublicBaseUrl(String publicBaseUrl) {
    this.publicBaseUrl = publicBaseUrl == null ? "" : publicBaseUrl.trim();
  }

  @JsonProperty
  public DatabaseFactory getDatabase() {
    return database;
  }

  @JsonProperty
  public void setDatabase(DatabaseFactory database) {
    this.database = database;
  }

  @JsonProperty
  public WebhooksFactory getWebhooks() {
    return webhooks;
  }

  @JsonProperty
  public void setWebhooks(WebhooksFactory webhooks) {
    this.webhooks = webhooks;
  }

  @JsonProperty
  public RecordsPurgeFactory getRecordsPurge() {
    return recordsPurge;
  }

  @JsonProperty
  public void setRecordsPurge(RecordsPurgeFactory recordsPurge) {
    this.recordsPurge = recordsPurge;
  }

  @JsonProperty
  public TaxonomyFactory getTaxonomy() {
    return taxonomy;
  }

  @JsonProperty
  public void setTaxonomy(TaxonomyFactory taxonomy) {
    this.taxonomy = taxonomy;
  }

  @JsonProperty
  public EmbeddingsFactory getEmbeddings() {
    return embeddings;
  }

  @JsonProperty
  public void setEmbeddings(EmbeddingsFactory embeddings) {
    this.embeddings = embeddings;
  }

  @JsonProperty
  public EnrichmentFactory getEnrichment() {
    return enrichment;
  }

  @JsonProperty
  public void setEnrichment(EnrichmentFactory enrichment) {
    this.enrichment = enrichment;
  }

  @JsonProperty
  public int getTenantPurgeLockTimeoutSeconds() {
    return tenantPurgeLockTimeoutSeconds;
  }

  @JsonProperty
  public void setTenantPurgeLockTimeoutSeconds(int seconds) {
    this.tenantPurgeLockTimeoutSeconds = seconds;
  }

  /** How long a purge waits for in-flight writers; a non-positive setting falls back to 5 s. */
  public Duration purgeLockTimeout() {
    int seconds =
        tenantPurgeLockTimeoutSeconds > 0
            ? tenantPurgeLockTimeoutSeconds
            : DEFAULT_PURGE_LOCK_TIMEOUT_SECONDS;
    return Duration.ofSeconds(seconds);
  }

  @JsonProperty
  public io.dropwizard.util.Duration getRequestBodyTimeout() {
    return requestBodyTimeout;
  }

  @JsonProperty
  public void setRequestBodyTimeout(io.dropwizard.util.Duration timeout) {
    this.requestBodyTimeout = timeout;
  }
}
