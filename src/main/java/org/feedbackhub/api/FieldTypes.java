package org.feedbackhub.api;

import java.util.List;

/** The closed set of feedback field types ({@code field_type_enum}). */
public final class FieldTypes {
  public static final List<String> ALL =
      List.of("text", "categorical", "nps", "csat", "ces", "rating", "number", "boolean", "date");

  /** The type whose records carry free text and get embeddings. */
  public static final String TEXT = "text";

  private FieldTypes() {}
}
