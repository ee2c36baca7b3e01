package org.feedbackhub.events;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.feedbackhub.core.SigningKeys;

/**
 * Signs webhook requests as the Standard Webhooks specification defines: {@code v1,} + base64 of
 * HMAC-SHA256 over {@code "{webhook-id}.{webhook-timestamp}.{body}"}, keyed with the base64-decoded
 * part of the {@code whsec_} key.
 */
public final class StandardWebhooksSigner {
  private StandardWebhooksSigner() {}

  /** The {@code webhook-signature} header value for one request. */
  public static String sign(
      String signingKey, String messageId, long timestampSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SigningKeys.secret(signingKey), "HmacSHA256"));
      byte[] digest =
          mac.doFinal(
              (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "v1," + Base64.getEncoder().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
