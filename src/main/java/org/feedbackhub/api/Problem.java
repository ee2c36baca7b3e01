package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** An RFC 9457 problem document, the body of every error response. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    @JsonProperty("request_id") String requestId,
    Map<String, Object> details,
    @JsonProperty("invalid_params") List<InvalidParam> invalidParams) {

  /** The media type of problem documents. */
  public static final String MEDIA_TYPE = "application/problem+json";
}
