package org.feedbackhub.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.feedbackhub.core.SigningKeys;
import org.junit.jupiter.api.Test;

class StandardWebhooksSignerTest {
  /** The example of the Standard Webhooks specification and its reference libraries. */
  @Test
  void matchesTheSpecificationExample() {
    String signature =
        StandardWebhooksSigner.sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            "{\"test\": 2432232314}");
    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void generatedKeysCarryThirtyTwoRandomBytes() {
    String key = SigningKeys.generate();
    assertThat(key).startsWith("whsec_");
    assertThat(SigningKeys.secret(key)).hasSize(32);
    assertThat(SigningKeys.generate()).isNotEqualTo(key);
    assertThat(SigningKeys.isValid("whsec_")).isFalse();
    assertThat(SigningKeys.isValid("whsec_%%%")).isFalse();
    assertThat(SigningKeys.isValid("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).isTrue();
  }
}
