package org.feedbackhub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The optional body of the enrichment retry, {@code {"enrichments": [...]}}: absent, empty or
 * {@code {}} means every kind; names are trimmed and de-duplicated, in the order first given.
 *
 * @implNote Parsed here rather than by Jersey so that the endpoint's first check (the reconcile
 *     sweep switched off) comes before any body error, as the contract orders them.
 */
public final class EnrichmentRetryRequest {
  private static final ObjectMapper JSON = JsonMapping.configure(new ObjectMapper());
  private static final String FIELD = "enrichments";

  private EnrichmentRetryRequest() {}

  /**
   * The kinds asked for, from {@code known} (the wire names, in their canonical order).
   *
   * @throws ProblemException 400 {@code bad_request} for unparsable JSON; field errors are added to
   *     {@code v}
   */
  public static List<String> kinds(String body, Collection<String> known, Validation v) {
    if (body == null || body.isBlank()) {
      return List.copyOf(known);
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ProblemException.badRequest("Invalid JSON body");
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return List.copyOf(known);
    }
    if (!root.isObject()) {
      v.add("body", "must be a JSON object");
      return List.of();
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELD.equals(name)) {
        v.add(name, "is not a recognized request field");
      }
    }
    JsonNode list = root.path(FIELD);
    if (list.isMissingNode() || list.isNull()) {
      return List.copyOf(known);
    }
    if (!list.isArray()) {
      v.add(FIELD, "must be an array of enrichment names");
      return List.of();
    }
    Set<String> kinds = new LinkedHashSet<>();
    boolean unknown = false;
    for (JsonNode item : list) {
      String name = item.isTextual() ? item.textValue().strip() : null;
      if (name != null && known.contains(name)) {
        kinds.add(name);
      } else {
        unknown = true;
      }
    }
    if (unknown) {
      v.add(FIELD, "must contain only " + String.join(", ", known));
      return List.of();
    }
    return kinds.isEmpty() ? List.copyOf(known) : List.copyOf(kinds);
  }
}
