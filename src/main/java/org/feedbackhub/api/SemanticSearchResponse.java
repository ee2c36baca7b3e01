package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code SemanticSearchResponse}: the page of hits, best first, and the cursor of the next. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SemanticSearchResponse(
    @JsonProperty("data") List<SemanticSearchHit> data,
    @JsonProperty("limit") int limit,
    @JsonProperty("next_cursor") String nextCursor) {}
