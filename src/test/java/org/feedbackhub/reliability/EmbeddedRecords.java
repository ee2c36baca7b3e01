package org.feedbackhub.reliability;

import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.FakeOpenAiEmbeddings;

/**
 * Text records with a stored vector, written straight to the database: the hostile tests run with
 * the embedding worker off, so no background write can race their before/after row snapshots.
 */
final class EmbeddedRecords {
  private EmbeddedRecords() {}

  /**
   * Inserts a text record with {@link FakeOpenAiEmbeddings#vector} of its text under {@code model}.
   *
   * @return the record id
   */
  static String insert(
      String tenant,
      String sourceType,
      String sourceId,
      String fieldId,
      String text,
      String model) {
    String id =
        Db.queryStrings(
                "INSERT INTO feedback_records (source_type, source_id, field_id, field_label,"
                    + " field_type, value_text, tenant_id, submission_id)"
                    + " VALUES (?, ?, ?, 'What could we improve?', 'text', ?, ?, gen_random_uuid())"
                    + " RETURNING id::text",
                sourceType,
                sourceId,
                fieldId,
                text,
                tenant)
            .get(0);
    Db.execute(
        "INSERT INTO embeddings (feedback_record_id, embedding, model)"
            + " VALUES (?::uuid, ?::real[], ?)",
        id,
        literal(FakeOpenAiEmbeddings.vector(text)),
        model);
    return id;
  }

  private static String literal(float[] vector) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < vector.length; i++) {
      out.append(i == 0 ? "" : ",").append(vector[i]);
    }
    return out.append('}').toString();
  }
}
