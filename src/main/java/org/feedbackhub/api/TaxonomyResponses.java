package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/** The small response envelopes of the taxonomy API. */
public final class TaxonomyResponses {
  private TaxonomyResponses() {}

  /** {@code GET /v1/taxonomy/fields}. */
  public record Fields(List<TaxonomyFieldOption> data) {}

  /** {@code GET /v1/taxonomy/runs}. */
  public record Runs(List<TaxonomyRunData> data) {}

  /** {@code POST /v1/taxonomy/runs}: a new run (202) or the one already in progress (200). */
  public record CreatedRun(TaxonomyRunData run, @JsonProperty("in_progress") boolean inProgress) {}

  /** A run and its visible tree; {@code root} is null (sent as null) when the run has none. */
  public record Tree(
      TaxonomyRunData run, @JsonInclude(JsonInclude.Include.ALWAYS) TaxonomyNodeData root) {}

  /** One node's subtree record total. */
  public record NodeCount(
      @JsonProperty("node_id") UUID nodeId, @JsonProperty("record_count") long recordCount) {}

  /** {@code GET /v1/taxonomy/runs/{id}/record-counts}. */
  public record RecordCounts(List<NodeCount> counts) {}

  /** {@code GET /v1/taxonomy/nodes/{id}/records}. */
  public record NodeRecords(List<FeedbackRecordData> data, int limit) {}

  /** Internal: a small status object; {@code service} names the API on the auth check. */
  public record Status(String status, String service) {
    public Status(String status) {
      this(status, null);
    }
  }

  /** Internal: the input of a run, every record with its embedding. */
  public record RunInput(TaxonomyRunData run, List<InputRecord> records) {}

  /** Internal: one record of a run's input. */
  public record InputRecord(
      @JsonProperty("feedback_record_id") UUID feedbackRecordId,
      @JsonProperty("source_type") String sourceType,
      @JsonProperty("source_id") String sourceId,
      @JsonProperty("field_id") String fieldId,
      @JsonProperty("field_label") String fieldLabel,
      @JsonProperty("value_text") String valueText,
      float[] embedding) {}
}
