package org.feedbackhub.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.feedbackhub.enrichment.EnrichmentProviderException.Outcome;
import org.feedbackhub.testing.FakeOpenAiChat;
import org.feedbackhub.testing.FakeOpenAiChat.Reply;
import org.feedbackhub.testing.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code openai} provider against a real Chat Completions server on loopback that checks each
 * request: every answer the contract names leads to a result or to the right failure class.
 */
class OpenAiEnrichmentProviderTest {
  /** Line breaks, a blank line, non-ASCII and quotes: all must reach the model verbatim. */
  private static final String TEXT = "Großartig!\n\n- schnell\r\n- \"günstig\" 🙂\n";

  private final FakeOpenAiChat fake = new FakeOpenAiChat().expectModel("gpt-test");

  @AfterEach
  void close() {
    fake.close();
  }

  private OpenAiEnrichmentProvider provider(EnrichmentKind kind) {
    return provider(kind, fake.baseUrl(), Duration.ofSeconds(5));
  }

  private static OpenAiEnrichmentProvider provider(
      EnrichmentKind kind, String baseUrl, Duration timeout) {
    return new OpenAiEnrichmentProvider(
        kind, new ChatCompletionsClient(baseUrl, "gpt-test", "sk-secret", timeout));
  }

  private EnrichmentProviderException failure(EnrichmentKind kind, Reply reply) {
    fake.respondWith(call -> reply);
    return catchThrowableOfType(
        EnrichmentProviderException.class, () -> provider(kind).enrich(TEXT, "en-US"));
  }

  @Test
  void sentimentSendsTheStrictSchemaAndTheTextVerbatim() {
    fake.respondWith(call -> Reply.content("{\"sentiment\":\"very_positive\",\"score\":0.9}"));
    EnrichmentResult result = provider(EnrichmentKind.SENTIMENT).enrich(TEXT, null);
    assertThat(result).isEqualTo(new EnrichmentResult.Sentiment("very_positive", 0.9));
    assertThat(fake.violations()).isEmpty();
    FakeOpenAiChat.Call call = fake.calls().get(0);
    assertThat(call.kind()).isEqualTo("sentiment");
    assertThat(call.userText()).isEqualTo(TEXT);
    assertThat(call.authorization()).isEqualTo("Bearer sk-secret");
    assertThat(call.temperature()).isTrue();
  }

  @Test
  void scoresAreClampedToMinusOneToOne() {
    fake.respondWith(call -> Reply.content("{\"sentiment\":\"positive\",\"score\":1.7}"));
    assertThat(provider(EnrichmentKind.SENTIMENT).enrich(TEXT, null))
        .isEqualTo(new EnrichmentResult.Sentiment("positive", 1.0));
    fake.respondWith(call -> Reply.content("{\"sentiment\":\"negative\",\"score\":-3}"));
    assertThat(provider(EnrichmentKind.SENTIMENT).enrich(TEXT, null))
        .isEqualTo(new EnrichmentResult.Sentiment("negative", -1.0));
  }

  @Test
  void emotionsAreDistinctInLabelOrderAndMayBeNone() {
    fake.respondWith(call -> Reply.content("{\"emotions\":[\"anger\",\"joy\",\"anger\"]}"));
    assertThat(provider(EnrichmentKind.EMOTIONS).enrich(TEXT, null))
        .isEqualTo(new EnrichmentResult.Emotions(List.of("joy", "anger")));
    fake.respondWith(call -> Reply.content("{\"emotions\":[]}"));
    assertThat(provider(EnrichmentKind.EMOTIONS).enrich(TEXT, null))
        .isEqualTo(new EnrichmentResult.Emotions(List.of()));
    assertThat(fake.violations()).isEmpty();
    assertThat(fake.calls()).extracting(FakeOpenAiChat.Call::userText).containsOnly(TEXT);
  }

  @Test
  void translationIsAPlainCompletionThatKeepsLineBreaks() {
    fake.respondWith(call -> Reply.content("Great!\n\n- fast\r\n- \"cheap\" 🙂\n"));
    EnrichmentResult result = provider(EnrichmentKind.TRANSLATION).enrich(TEXT, "en-US");
    assertThat(result)
        .isEqualTo(
            new EnrichmentResult.Translation("Great!\n\n- fast\r\n- \"cheap\" 🙂\n", "en-US"));
    assertThat(fake.violations()).isEmpty();
    FakeOpenAiChat.Call call = fake.calls().get(0);
    assertThat(call.body().has("response_format")).isFalse();
    assertThat(call.systemPrompt()).contains("en-US").contains("line break");
    assertThat(call.userText()).isEqualTo(TEXT);
  }

  @Test
  void aBaseUrlEndingInV1IsTheSameEndpoint() {
    provider(EnrichmentKind.SENTIMENT, fake.baseUrl() + "/v1/", Duration.ofSeconds(5))
        .enrich(TEXT, null);
    assertThat(fake.calls()).hasSize(1);
  }

  @Test
  void rateLimitHonoursRetryAfterInSecondsOrAsADate() {
    EnrichmentProviderException seconds = failure(EnrichmentKind.SENTIMENT, Reply.rateLimited("7"));
    assertThat(seconds.outcome()).isEqualTo(Outcome.RATE_LIMITED);
    assertThat(seconds.retryAfter()).contains(Duration.ofSeconds(7));

    String date = ZonedDateTime.now().plusSeconds(120).format(DateTimeFormatter.RFC_1123_DATE_TIME);
    EnrichmentProviderException dated = failure(EnrichmentKind.EMOTIONS, Reply.rateLimited(date));
    assertThat(dated.outcome()).isEqualTo(Outcome.RATE_LIMITED);
    assertThat(dated.retryAfter().orElseThrow())
        .isBetween(Duration.ofSeconds(100), Duration.ofSeconds(121));
  }

  @Test
  void serverErrorsMalformedAnswersAndOffSchemaAnswersAreRetryable() {
    assertRetryable(failure(EnrichmentKind.SENTIMENT, Reply.serverError()), "http_5xx");
    assertRetryable(failure(EnrichmentKind.SENTIMENT, Reply.malformed()), "unparsable");
    assertRetryable(failure(EnrichmentKind.SENTIMENT, Reply.content("positive")), "unparsable");
    assertRetryable(
        failure(EnrichmentKind.SENTIMENT, Reply.content("{\"sentiment\":\"great\",\"score\":1}")),
        "unparsable");
    assertRetryable(
        failure(
            EnrichmentKind.SENTIMENT, Reply.content("{\"sentiment\":\"mixed\",\"score\":\"1\"}")),
        "unparsable");
    assertRetryable(
        failure(EnrichmentKind.EMOTIONS, Reply.content("{\"emotions\":[\"boredom\"]}")),
        "unparsable");
    assertRetryable(failure(EnrichmentKind.TRANSLATION, Reply.content("  ")), "unparsable");
  }

  @Test
  void aHangingProviderTimesOut() {
    fake.respondWith(call -> Reply.hanging());
    EnrichmentProviderException timeout =
        catchThrowableOfType(
            EnrichmentProviderException.class,
            () ->
                provider(EnrichmentKind.SENTIMENT, fake.baseUrl(), Duration.ofMillis(500))
                    .enrich(TEXT, null));
    assertRetryable(timeout, "timeout");
  }

  @Test
  void anUnreachableProviderIsRetryable() {
    String closed = "http://127.0.0.1:" + FreePorts.any();
    EnrichmentProviderException unreachable =
        catchThrowableOfType(
            EnrichmentProviderException.class,
            () ->
                provider(EnrichmentKind.SENTIMENT, closed, Duration.ofSeconds(2))
                    .enrich(TEXT, null));
    assertRetryable(unreachable, "unreachable");
  }

  @Test
  void refusalsContentPolicyAndOverLongInputAreTerminal() {
    assertTerminal(failure(EnrichmentKind.SENTIMENT, Reply.refusal()), "refusal");
    assertTerminal(failure(EnrichmentKind.TRANSLATION, Reply.contentPolicy()), "content_policy");
    assertTerminal(failure(EnrichmentKind.EMOTIONS, Reply.contentFiltered()), "content_policy");
    assertTerminal(failure(EnrichmentKind.SENTIMENT, Reply.inputTooLong()), "input_too_long");
    assertThat(fake.violations()).isEmpty();
  }

  @Test
  void aModelThatRejectsTemperatureIsAskedOnceMoreWithoutIt() {
    fake.respondWith(call -> call.temperature() ? Reply.temperatureRejected() : null);
    OpenAiEnrichmentProvider sentiment = provider(EnrichmentKind.SENTIMENT);
    assertThat(sentiment.enrich(TEXT, null))
        .isEqualTo(new EnrichmentResult.Sentiment("positive", 0.5));
    assertThat(fake.calls())
        .extracting(FakeOpenAiChat.Call::temperature)
        .containsExactly(true, false);
    sentiment.enrich(TEXT, null);
    assertThat(fake.calls())
        .extracting(FakeOpenAiChat.Call::temperature)
        .containsExactly(true, false, false);
  }

  @Test
  void aSecondRejectionIsNotRetriedAgain() {
    fake.respondWith(call -> Reply.temperatureRejected());
    EnrichmentProviderException rejected =
        catchThrowableOfType(
            EnrichmentProviderException.class,
            () -> provider(EnrichmentKind.SENTIMENT).enrich(TEXT, null));
    assertRetryable(rejected, "http_400");
    assertThat(fake.calls()).hasSize(2);
  }

  private static void assertRetryable(EnrichmentProviderException e, String errorClass) {
    assertThat(e).isNotNull();
    assertThat(e.outcome()).isEqualTo(Outcome.RETRYABLE);
    assertThat(e.errorClass()).isEqualTo(errorClass);
    assertThat(e.markerReason()).isEqualTo("provider_error");
    assertThat(e.getMessage()).doesNotContain("secret");
  }

  private static void assertTerminal(EnrichmentProviderException e, String reason) {
    assertThat(e).isNotNull();
    assertThat(e.outcome()).isEqualTo(Outcome.TERMINAL);
    assertThat(e.markerReason()).isEqualTo(reason);
  }
}
