package org.feedbackhub.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.IllformedLocaleException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.feedbackhub.api.Validation;

/**
 * The tenant settings document: {@code target_language} (a BCP-47 tag, normalised, e.g. {@code
 * en-us} to {@code en-US}), {@code sentiment_enabled} and {@code emotions_enabled}.
 */
final class TenantSettingsRules {
  static final String TARGET_LANGUAGE = "target_language";
  static final Set<String> BOOLEANS = Set.of("sentiment_enabled", "emotions_enabled");
  static final int TARGET_LANGUAGE_MAX = 35;

  private TenantSettingsRules() {}

  /**
   * The stored document for a full replace: every known key that is present and non-null; an empty
   * {@code target_language} clears it.
   */
  static ObjectNode replacement(ObjectNode body) {
    Validation v = new Validation();
    ObjectNode settings = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getValue().isNull()) {
        String normalised = checkValue(v, field.getKey(), field.getValue(), true);
        if (normalised != null && !normalised.isEmpty()) {
          settings.put(field.getKey(), normalised);
        } else if (BOOLEANS.contains(field.getKey()) && field.getValue().isBoolean()) {
          settings.put(field.getKey(), field.getValue().booleanValue());
        }
      }
    }
    v.throwIfInvalid();
    return settings;
  }

  /** RFC 7396 merge of {@code patch} into {@code current}: null removes, absent keeps. */
  static ObjectNode merge(ObjectNode current, ObjectNode patch) {
    Validation v = new Validation();
    ObjectNode merged = current.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        if (!isKnown(field.getKey())) {
          v.add(field.getKey(), "is not a recognized request field");
        }
        merged.remove(field.getKey());
        continue;
      }
      String normalised = checkValue(v, field.getKey(), field.getValue(), false);
      if (normalised != null) {
        merged.put(field.getKey(), normalised);
      } else if (BOOLEANS.contains(field.getKey()) && field.getValue().isBoolean()) {
        merged.put(field.getKey(), field.getValue().booleanValue());
      }
    }
    v.throwIfInvalid();
    return merged;
  }

  private static boolean isKnown(String key) {
    return TARGET_LANGUAGE.equals(key) || BOOLEANS.contains(key);
  }

  /** Checks one value; returns the normalised language tag for {@code target_language}. */
  private static String checkValue(Validation v, String key, JsonNode value, boolean emptyClears) {
    if (BOOLEANS.contains(key)) {
      if (!value.isBoolean()) {
        v.add(key, "must be a valid boolean");
      }
      return null;
    }
    if (!TARGET_LANGUAGE.equals(key)) {
      v.add(key, "is not a recognized request field");
      return null;
    }
    if (!value.isTextual()) {
      v.add(key, "must be string");
      return null;
    }
    String tag = value.textValue();
    if (tag.isEmpty()) {
      if (!emptyClears) {
        v.add(key, "must be at least 1");
      }
      return emptyClears ? "" : null;
    }
    if (tag.indexOf('\0') >= 0) {
      v.add(key, Validation.NO_NUL);
      return null;
    }
    if (tag.length() > TARGET_LANGUAGE_MAX) {
      v.add(key, "must be at most " + TARGET_LANGUAGE_MAX);
      return null;
    }
    try {
      String normalised = new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
      if (normalised.isEmpty() || normalised.equals("und")) {
        throw new IllformedLocaleException("no language");
      }
      return normalised;
    } catch (IllformedLocaleException e) {
      v.add(key, "must be a valid BCP-47 language tag");
      return null;
    }
  }
}
