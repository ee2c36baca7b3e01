package org.feedbackhub.resources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.feedbackhub.api.FeedbackRecordFilter.Range;
import org.feedbackhub.api.Validation;

/**
 * Reads the values of list and count query parameters into a {@link Validation}: repeated values,
 * comma-separated enum values, numbers, date-times, choices and inclusive pairs. Each parameter
 * reports at most one error, so a hundred overlong values give one {@code invalid_params} entry.
 */
final class FilterValues {
  /** Most values of a repeatable parameter. */
  static final int MAX_VALUES = 100;

  /** A JSON number: no hex, no {@code NaN}, no Java suffixes like {@code 1d}, no blanks. */
  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  private final Validation v;

  FilterValues(Validation v) {
    this.v = v;
  }

  /** Free-text values, as given (a comma is part of the value); empty when absent. */
  List<String> texts(String name, List<String> raw, int maxLength) {
    List<String> values = raw == null ? List.of() : raw;
    if (values.size() > MAX_VALUES) {
      v.add(name, "must have at most " + MAX_VALUES + " values");
      return List.of();
    }
    for (String value : values) {
      if (value.indexOf('\0') >= 0) {
        v.add(name, Validation.NO_NUL);
        return List.of();
      }
      if (value.codePointCount(0, value.length()) > maxLength) {
        v.add(name, "must be at most " + maxLength);
        return List.of();
      }
    }
    return List.copyOf(values);
  }

  /**
   * Enum values: each raw value is split at commas (the official client joins an array that way),
   * empty parts are dropped, and every part must be one of {@code allowed}.
   */
  List<String> enums(String name, List<String> raw, List<String> allowed, int maxValues) {
    List<String> values = new ArrayList<>();
    for (String value : raw == null ? List.<String>of() : raw) {
      for (String part : value.split(",", -1)) {
        if (!part.isEmpty()) {
          values.add(part);
        }
      }
    }
    if (values.size() > maxValues) {
      v.add(name, "must have at most " + maxValues + " values");
      return List.of();
    }
    for (String value : values) {
      if (!allowed.contains(value)) {
        v.add(name, "must be one of: " + String.join(", ", allowed));
        return List.of();
      }
    }
    return List.copyOf(values);
  }

  /** One of {@code allowed}; {@code fallback} when absent or empty. */
  String choice(String name, String raw, List<String> allowed, String fallback) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    if (!allowed.contains(raw)) {
      v.add(name, "must be one of: " + String.join(", ", allowed));
      return fallback;
    }
    return raw;
  }

  /** A number within {@code min..max}, or null when absent, empty or invalid. */
  Double number(String name, String raw, double min, double max, String rangeReason) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    double value = NUMBER.matcher(raw).matches() ? Double.parseDouble(raw) : Double.NaN;
    if (!Double.isFinite(value)) {
      v.add(name, "must be a valid number");
      return null;
    }
    if (value < min || value > max) {
      v.add(name, rangeReason);
      return null;
    }
    return value;
  }

  /** An RFC 3339 date-time, or null when absent or invalid (the reason says which). */
  Instant time(String name, String raw) {
    return v.timestamp(name, raw);
  }

  /**
   * An inclusive pair; when both ends are given and {@code min} is greater, the error names the
   * lower bound and the pair filters nothing (the request fails anyway).
   */
  <T extends Comparable<T>> Range<T> pair(String minName, T min, String maxName, T max) {
    if (min != null && max != null && min.compareTo(max) > 0) {
      v.add(minName, "must not be greater than " + maxName);
      return Range.open();
    }
    return new Range<>(min, max);
  }
}
