package org.feedbackhub.enrichment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code openai} provider of one kind: builds the kind's request, sends it through a {@link
 * ChatCompletionsClient} and turns the answer into an {@link EnrichmentResult}. An answer outside
 * the schema (a label not in the set, a score that is not a number) is unparsable, so retryable.
 */
public final class OpenAiEnrichmentProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EnrichmentKind kind;
  private final ChatCompletionsClient client;

  public OpenAiEnrichmentProvider(EnrichmentKind kind, ChatCompletionsClient client) {
    this.kind = kind;
    this.client = client;
  }

  public EnrichmentKind kind() {
    return kind;
  }

  /**
   * Enriches {@code text}; {@code targetLanguage} is the translation's (normalised) target and
   * ignored by the other kinds.
   *
   * @throws EnrichmentProviderException when the provider gave no usable answer
   */
  public EnrichmentResult enrich(String text, String targetLanguage) {
    return switch (kind) {
      case TRANSLATION -> translation(text, targetLanguage);
      case SENTIMENT -> sentiment(client.complete(EnrichmentRequests.sentiment(text)));
      case EMOTIONS -> emotions(client.complete(EnrichmentRequests.emotions(text)));
    };
  }

  private EnrichmentResult translation(String text, String targetLanguage) {
    String translated = client.complete(EnrichmentRequests.translation(text, targetLanguage));
    if (translated.isBlank()) {
      throw EnrichmentProviderException.retryable("unparsable", null);
    }
    return new EnrichmentResult.Translation(translated, targetLanguage);
  }

  static EnrichmentResult.Sentiment sentiment(String content) {
    JsonNode answer = parse(content);
    String label = answer.path("sentiment").asText(null);
    JsonNode score = answer.path("score");
    if (!EnrichmentLabels.SENTIMENTS.contains(label)
        || !score.isNumber()
        || !Double.isFinite(score.doubleValue())) {
      throw EnrichmentProviderException.retryable("unparsable", null);
    }
    return new EnrichmentResult.Sentiment(label, Math.max(-1, Math.min(1, score.doubleValue())));
  }

  static EnrichmentResult.Emotions emotions(String content) {
    JsonNode found = parse(content).path("emotions");
    if (!found.isArray()) {
      throw EnrichmentProviderException.retryable("unparsable", null);
    }
    List<String> named = new ArrayList<>();
    for (JsonNode item : found) {
      if (!item.isTextual() || !EnrichmentLabels.EMOTIONS.contains(item.textValue())) {
        throw EnrichmentProviderException.retryable("unparsable", null);
      }
      named.add(item.textValue());
    }
    return new EnrichmentResult.Emotions(
        EnrichmentLabels.EMOTIONS.stream().filter(named::contains).toList());
  }

  private static JsonNode parse(String content) {
    try {
      JsonNode answer = JSON.readTree(content);
      if (answer == null || !answer.isObject()) {
        throw EnrichmentProviderException.retryable("unparsable", null);
      }
      return answer;
    } catch (IOException e) {
      throw EnrichmentProviderException.retryable("unparsable", e);
    }
  }
}
