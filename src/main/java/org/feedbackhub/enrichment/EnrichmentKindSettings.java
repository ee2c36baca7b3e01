package org.feedbackhub.enrichment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One enrichment's settings ({@code TRANSLATION_*}, {@code SENTIMENT_*} or {@code EMOTIONS_*}): a
 * kind is configured when provider and model are both set.
 */
public class EnrichmentKindSettings {
  /** The one provider: any OpenAI-compatible Chat Completions endpoint. */
  public static final String OPENAI = "openai";

  static final String DEFAULT_BASE_URL = "https://api.openai.com";

  @NotNull private String provider = "";

  @NotNull private String model = "";

  @NotNull private String apiKey = "";

  @NotNull private String baseUrl = DEFAULT_BASE_URL;

  @JsonProperty
  @Min(1)
  @Max(1000)
  private int maxConcurrent = 5;

  @JsonProperty
  @Min(1)
  @Max(100)
  private int maxAttempts = 3;

  @JsonProperty
  @Min(1)
  @Max(1000)
  private int reconcileMaxConcurrent = 2;

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
    this.baseUrl = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl.trim();
  }

  public int getMaxConcurrent() {
    return maxConcurrent;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public int getReconcileMaxConcurrent() {
    return reconcileMaxConcurrent;
  }

  /** Provider and model both set. */
  @JsonIgnore
  public boolean isConfigured() {
    return !provider.isEmpty() && !model.isEmpty();
  }

  /**
   * Checks the settings as start-up does.
   *
   * @throws IllegalArgumentException with one line naming the variable at fault
   */
  void validate(EnrichmentKind kind) {
    String prefix = kind.envPrefix();
    if (provider.isEmpty() && model.isEmpty()) {
      return;
    }
    if (provider.isEmpty()) {
      throw new IllegalArgumentException(
          prefix + "_PROVIDER is required when " + prefix + "_MODEL is set (use openai)");
    }
    if (provider.equals("google") || provider.equals("google-gemini")) {
      throw new IllegalArgumentException(
          prefix
              + "_PROVIDER="
              + provider
              + " is not supported: use openai with Gemini's OpenAI-compatible endpoint"
              + " ("
              + prefix
              + "_BASE_URL)");
    }
    if (!provider.equals(OPENAI)) {
      throw new IllegalArgumentException(
          prefix + "_PROVIDER must be openai or empty, not '" + printable(provider) + "'");
    }
    if (model.isEmpty()) {
      throw new IllegalArgumentException(
          prefix + "_MODEL is required with " + prefix + "_PROVIDER=openai");
    }
    if (!isHttpUrl(baseUrl)) {
      // The URL is not echoed: it may carry credentials.
      throw new IllegalArgumentException(
          prefix + "_BASE_URL must be an absolute http(s) URL without query or fragment");
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https"))
          && uri.getHost() != null
          && !uri.getHost().isEmpty()
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** A provider value fit for one log line: at most 40 visible characters. */
  private static String printable(String value) {
    String visible = value.replaceAll("\\p{Cntrl}", "?");
    return visible.length() > 40 ? visible.substring(0, 40) + "..." : visible;
  }
}
