package org.feedbackhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad enrichment setting stops {@code server config.yml} with one stderr line naming the
 * variable, before anything touches the database or the network. Settings are {@code dw.*} system
 * properties, the in-process stand-in for environment variables.
 */
class EnrichmentStartupFailureTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          sentiment | openai        |        | https://api.openai.com | SENTIMENT_MODEL is required with SENTIMENT_PROVIDER=openai
          emotions  |               | gpt-x  | https://api.openai.com | EMOTIONS_PROVIDER is required when EMOTIONS_MODEL is set (use openai)
          translation | google      | gem    | https://api.openai.com | TRANSLATION_PROVIDER=google is not supported: use openai with Gemini's OpenAI-compatible endpoint (TRANSLATION_BASE_URL)
          sentiment | google-gemini | gem    | https://api.openai.com | SENTIMENT_PROVIDER=google-gemini is not supported: use openai with Gemini's OpenAI-compatible endpoint (SENTIMENT_BASE_URL)
          emotions  | anthropic     | claude | https://api.openai.com | EMOTIONS_PROVIDER must be openai or empty, not 'anthropic'
          sentiment | openai        | gpt-x  | ftp://models.example   | SENTIMENT_BASE_URL must be an absolute http(s) URL without query or fragment
          translation | openai      | gpt-x  | http://u:secret@h/v1?x=1 | TRANSLATION_BASE_URL must be an absolute http(s) URL without query or fragment
          """)
  void oneLineNamingTheVariable(
      String kind, String provider, String model, String baseUrl, String expected) {
    Map<String, String> properties = new HashMap<>();
    properties.put("dw.apiKey", "k");
    properties.put("dw.database.url", "jdbc:postgresql://127.0.0.1:1/never-reached");
    properties.put("dw.enrichment." + kind + ".provider", provider == null ? "" : provider);
    properties.put("dw.enrichment." + kind + ".model", model == null ? "" : model);
    properties.put("dw.enrichment." + kind + ".baseUrl", baseUrl);
    String stderr = serverFails(properties);
    assertThat(stderr).isEqualTo("feedback-hub: " + expected + "\n");
    assertThat(stderr).doesNotContain("secret");
  }

  @ParameterizedTest
  @CsvSource({"not a tag", "x_", "123456789"})
  void badDefaultLanguage(String tag) {
    String stderr =
        serverFails(
            Map.of(
                "dw.apiKey", "k",
                "dw.database.url", "jdbc:postgresql://127.0.0.1:1/never-reached",
                "dw.enrichment.translationDefaultLanguage", tag));
    assertThat(stderr)
        .isEqualTo(
            "feedback-hub: TRANSLATION_DEFAULT_LANGUAGE must be a BCP-47 language tag such as en"
                + " or de-CH\n");
  }

  /** Runs {@code server config.yml} with {@code properties} set and returns its stderr. */
  private static String serverFails(Map<String, String> properties) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Optional<Throwable> failure;
    properties.forEach(System::setProperty);
    try {
      HubApplication application = new HubApplication();
      Bootstrap<HubConfiguration> bootstrap = new Bootstrap<>(application);
      application.addDefaultCommands(bootstrap);
      application.initialize(bootstrap);
      Cli cli =
          new Cli(
              new JarLocation(HubApplication.class),
              bootstrap,
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      failure = cli.run("server", "config.yml");
    } finally {
      properties.keySet().forEach(System::clearProperty);
    }
    assertThat(failure).isPresent();
    assertThat(failure.get()).isInstanceOf(StartupException.class);
    return err.toString(StandardCharsets.UTF_8);
  }
}
