package org.feedbackhub.reliability;

import java.util.List;
import java.util.function.UnaryOperator;

/** Generators of hostile strings and JSON fragments for the generated-input tests. */
final class Hostile {
  private Hostile() {}

  /** Strings a client may legitimately send and expect back verbatim. */
  static final List<String> VALID_NASTY =
      List.of(
          "'; DROP TABLE feedback_records; --",
          "' OR '1'='1",
          "1; SELECT pg_sleep(10)--",
          "\\\"},\"tenant_id\":\"someone-else\",\"x\":{\"",
          "\",\"tenant_id\":\"other\"",
          "$1 $2 :tenantId ? ?? %s %n %%",
          "${jndi:ldap://127.0.0.1/x}",
          "<script>alert(1)</script>",
          "\u202Eevil\u202C \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627",
          "\uD83D\uDE00\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67 \uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08",
          "e\u0301\u0301\u0301 \u200B\u200C\u200D\uFEFF",
          "\uDBFF\uDFFF \uFFFD \uFFFF",
          "line\r\nbreak\ttab\u0001\u001F\u007F",
          "back\\slash \\u0000 literally",
          "  padded  ",
          "%00 %zz %C3%28 + &amp; ?a=b#frag",
          "null",
          "{}",
          "[]");

  /** Strings that must be refused: NUL bytes, lone surrogates, blanks, oversized. */
  static final List<String> INVALID =
      List.of("a\u0000b", "\u0000", "", "   ", "x".repeat(256), "x".repeat(30_001));

  /** Any string without NUL and without a lone surrogate (which UTF-8 cannot carry). */
  static Gen<String> validStrings(int maxLength) {
    return Gen.oneOf(
        Gen.of(VALID_NASTY).filter(s -> s.length() <= maxLength),
        Gen.strings(1, Math.min(40, maxLength)).filter(Hostile::encodable));
  }

  /** Whether {@code s} has no NUL and no unpaired surrogate, and is not blank. */
  static boolean encodable(String s) {
    if (s.isBlank() || s.indexOf('\u0000') >= 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** A JSON string literal for {@code s}, escaping only what JSON requires. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** JSON values of every type, including hostile ones, as text. */
  static Gen<String> jsonValues() {
    return Gen.oneOf(
        Gen.of(
            "null",
            "true",
            "false",
            "0",
            "-1",
            "1e308",
            "-1e400",
            "1e16",
            "1.5",
            "NaN",
            "Infinity",
            "0x10",
            "01",
            "[]",
            "{}",
            "[null]",
            "{\"a\":1}",
            "\"\"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"\\udfff\\ud800\"",
            "\"\\uDBFF\\uDFFF\"",
            "\"2024-13-45T25:61:61Z\"",
            "\"1969-12-31T23:59:59Z\"",
            "\"9999-12-31T23:59:59Z\"",
            "\"not a date\"",
            "\"text\"",
            "\"nps\"",
            "\"TEXT\"",
            "\"https://example.com\"",
            "\"javascript:alert(1)\"",
            "\"http://169.254.169.254/\"",
            "\"file:///etc/passwd\"",
            "{\"\\u0000\":\"x\"}",
            "{\"k\":\"\\u0000\"}",
            "{\"a\":{\"b\":[1,{\"c\":null}]}}",
            "[".repeat(300) + "]".repeat(300),
            "{\"a\":".repeat(300) + "1" + "}".repeat(300),
            "\"" + "x".repeat(70_000) + "\""),
        Gen.of(VALID_NASTY).map(Hostile::quote),
        Gen.of(INVALID).map(Hostile::quote),
        Gen.strings(0, 20).map(Hostile::quote),
        Gen.ints().map(String::valueOf),
        Gen.doubles().map(String::valueOf));
  }

  /** Textual damage to a JSON document: truncation, garbage, duplicate keys, nesting. */
  static Gen<UnaryOperator<String>> textDamage() {
    return Gen.of(
        List.<UnaryOperator<String>>of(
            s -> s,
            s -> s,
            s -> s.substring(0, s.length() / 2),
            s -> s + "garbage",
            s -> s + "{}",
            s -> "\uFEFF" + s,
            s -> s.replaceFirst("\\{", "{\"tenant_id\":\"dup\","),
            s -> s.replace("}", ",\"tenant_id\":\"dup\"}"),
            s -> s.replace(":", "::"),
            s -> s.replace("\"", "'"),
            s -> "[" + s + "]",
            s -> "",
            s -> "null",
            s -> "\"just a string\"",
            s -> "[".repeat(100_000),
            s -> s.replace("}", ",\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}"),
            s -> s.replace("}", ",\"padding\":\"" + "p".repeat(600 * 1024) + "\"}")));
  }
}
