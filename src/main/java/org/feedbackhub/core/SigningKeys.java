package org.feedbackhub.core;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Standard Webhooks signing keys: {@code whsec_} + base64 of the secret bytes. The prefix is
 * optional on input, as in the Standard Webhooks libraries.
 */
public final class SigningKeys {
  /** The prefix of generated keys. */
  public static final String PREFIX = "whsec_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SigningKeys() {}

  /** A new key over 32 random bytes. */
  public static String generate() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return PREFIX + Base64.getEncoder().encodeToString(secret);
  }

  /**
   * The HMAC secret of {@code key}: the base64-decoded part after the optional prefix.
   *
   * @throws IllegalArgumentException when that part is not base64 or decodes to nothing
   */
  public static byte[] secret(String key) {
    String encoded = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key;
    byte[] secret = Base64.getDecoder().decode(encoded);
    if (secret.length == 0) {
      throw new IllegalArgumentException("empty signing secret");
    }
    return secret;
  }

  /** Whether a supplied key can sign: base64 (after the optional prefix) of at least one byte. */
  public static boolean isValid(String key) {
    try {
      secret(key);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
