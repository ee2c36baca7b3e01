package org.feedbackhub.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Collects the field errors of one request with the wire's fixed reasons ("is required", "must be
 * at most N", ...) and throws them together as one {@code validation} problem. Lengths count
 * Unicode code points, as PostgreSQL's {@code varchar(n)} does.
 */
public final class Validation {
  /** Most characters of an identifier (tenant, source, field, user, submission ids). */
  public static final int ID_MAX = 255;

  /** Earliest accepted date-time (the spec's documented range). */
  public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  /** Latest accepted date-time. */
  public static final Instant LATEST = Instant.parse("2080-12-31T23:59:59.999999999Z");

  /** Largest accepted magnitude of a number value. */
  public static final double NUMBER_LIMIT = 1e15;

  public static final String REQUIRED = "is required";
  public static final String NO_NUL = "must not contain NULL bytes";
  public static final String RFC3339 = "must be in RFC3339 (ISO 8601) format";
  public static final String UUID_FORMAT = "must be a valid UUID";

  private final List<InvalidParam> errors = new ArrayList<>();

  public void add(String name, String reason) {
    errors.add(new InvalidParam(name, reason));
  }

  public boolean isValid() {
    return errors.isEmpty();
  }

  /** Throws the collected errors, if any, as one {@code validation} problem. */
  public void throwIfInvalid() {
    if (!errors.isEmpty()) {
      throw ProblemException.validation(List.copyOf(errors));
    }
  }

  /** A required string of 1..max characters without NUL bytes; returned as given. */
  public String requiredText(String name, String value, int max) {
    if (value == null) {
      add(name, REQUIRED);
      return null;
    }
    return text(name, value, 1, max);
  }

  /** An optional string (null passes) of at most {@code max} characters without NUL bytes. */
  public String optionalText(String name, String value, int max) {
    return value == null ? null : text(name, value, 0, max);
  }

  /** An optional string that, when present, must have 1..max characters. */
  public String optionalNonEmptyText(String name, String value, int max) {
    return value == null ? null : text(name, value, 1, max);
  }

  private String text(String name, String value, int min, int max) {
    if (value.indexOf('\0') >= 0) {
      add(name, NO_NUL);
      return value;
    }
    int length = value.codePointCount(0, value.length());
    if (length < min) {
      add(name, "must be at least " + min);
    } else if (length > max) {
      add(name, "must be at most " + max);
    }
    return value;
  }

  /**
   * A tenant id: trimmed of surrounding whitespace, then non-empty, at most 255 characters, no NUL.
   *
   * @return the normalised id, or null when invalid
   */
  public String tenantId(String name, String raw) {
    if (raw == null) {
      add(name, REQUIRED);
      return null;
    }
    String trimmed = raw.strip();
    int before = errors.size();
    text(name, trimmed, 1, ID_MAX);
    return errors.size() == before ? trimmed : null;
  }

  /** An optional tenant id (null passes); trimmed and checked as {@link #tenantId}. */
  public String optionalTenantId(String name, String raw) {
    return raw == null ? null : tenantId(name, raw);
  }

  /** A value from {@code allowed}; the reason lists them. */
  public String oneOf(String name, String value, Collection<String> allowed, boolean required) {
    if (value == null) {
      if (required) {
        add(name, REQUIRED);
      }
      return null;
    }
    if (!allowed.contains(value)) {
      add(name, "must be one of: " + String.join(", ", allowed));
    }
    return value;
  }

  /** An RFC 3339 date-time within 1970..2080, or null when absent or invalid. */
  public Instant timestamp(String name, String value) {
    if (value == null) {
      return null;
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      add(name, RFC3339);
      return null;
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      add(name, "must be between 1970-01-01 and 2080-12-31");
      return null;
    }
    return instant;
  }

  /** A finite number within ±1e15, or null when absent. */
  public Double number(String name, Double value) {
    if (value == null) {
      return null;
    }
    if (value.isNaN() || value.isInfinite()) {
      add(name, "must be a valid number");
    } else if (value < -NUMBER_LIMIT) {
      add(name, "must be at least -1e15");
    } else if (value > NUMBER_LIMIT) {
      add(name, "must be at most 1e15");
    }
    return value;
  }

  /** A UUID in its canonical text form, or null when invalid. */
  public UUID uuid(String name, String value) {
    if (value == null) {
      add(name, REQUIRED);
      return null;
    }
    try {
      if (value.length() == 36) {
        return UUID.fromString(value);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    add(name, UUID_FORMAT);
    return null;
  }

  /**
   * A paging limit: {@code defaultValue} when absent; out-of-range or non-integer values are
   * errors, not clamped.
   */
  public int limit(String name, String raw, int defaultValue, int min, int max) {
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min) {
        add(name, "must be at least " + min);
      } else if (value > max) {
        add(name, "must be at most " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      add(name, "must be a valid integer");
      return defaultValue;
    }
  }

  /** An optional boolean query parameter ({@code true}/{@code false}). */
  public Boolean optionalBoolean(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (raw.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (raw.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    add(name, "must be a valid boolean");
    return null;
  }

  /** Rejects NUL bytes anywhere in the keys and string values of a JSON object. */
  public void noNulInJson(String name, Object value) {
    if (containsNul(value)) {
      add(name, NO_NUL);
    }
  }

  /**
   * Refuses numbers in a JSON object that PostgreSQL's {@code jsonb} cannot store exactly (more
   * than 131072 digits before the decimal point or 16383 after it) and non-finite ones.
   */
  public void storableNumbersInJson(String name, Object value) {
    if (!numbersStorable(value)) {
      add(name, "numbers must be finite and within PostgreSQL's numeric range");
    }
  }

  private static boolean numbersStorable(Object value) {
    if (value instanceof Double d) {
      return !d.isNaN() && !d.isInfinite();
    }
    if (value instanceof Float f) {
      return !f.isNaN() && !f.isInfinite();
    }
    if (value instanceof java.math.BigDecimal d) {
      long before = (long) d.precision() - d.scale();
      return before <= 131_072 && d.scale() <= 16_383;
    }
    if (value instanceof Map<?, ?> map) {
      return map.values().stream().allMatch(Validation::numbersStorable);
    }
    if (value instanceof Collection<?> list) {
      return list.stream().allMatch(Validation::numbersStorable);
    }
    return true;
  }

  private static boolean containsNul(Object value) {
    if (value instanceof String s) {
      return s.indexOf('\0') >= 0;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (containsNul(e.getKey()) || containsNul(e.getValue())) {
          return true;
        }
      }
    }
    if (value instanceof Collection<?> list) {
      for (Object item : list) {
        if (containsNul(item)) {
          return true;
        }
      }
    }
    return false;
  }
}
