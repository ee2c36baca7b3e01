package org.feedbackhub.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * SQL of the {@code embeddings} table. Vectors go in as {@code real[]} text (float4 input rounds
 * the shortest decimal back to the same float) and come out as {@code array_send} bytes, which
 * {@link Vectors#fromArraySend} reads without boxing.
 *
 * @implNote A row version is its {@code xmin}: every upsert writes a new tuple with a new xmin, so
 *     {@code (feedback_record_id, xmin)} names one exact vector; the search cache diffs on it.
 */
@RegisterConstructorMapper(EmbeddingDao.RecordText.class)
@RegisterConstructorMapper(EmbeddingDao.Fingerprint.class)
@RegisterConstructorMapper(EmbeddingDao.Version.class)
@RegisterConstructorMapper(EmbeddingDao.StoredVector.class)
@RegisterConstructorMapper(EmbeddingDao.SourceVector.class)
@RegisterConstructorMapper(EmbeddingDao.RecordSummary.class)
public interface EmbeddingDao extends SqlObject {
  /** A record as the embedding worker needs it. */
  record RecordText(UUID id, String tenantId, String fieldType, String valueText) {}

  /** Count and order-free digest of a tenant's vectors of one model. */
  record Fingerprint(long count, String digest) {}

  /** One stored vector's identity and version. */
  record Version(UUID id, String version) {}

  /** A stored vector in {@code array_send} form. */
  record StoredVector(UUID id, String version, byte[] data) {}

  /** The tenant of a record and its vector of the model, if it has one. */
  record SourceVector(String tenantId, byte[] data) {}

  /** What a search hit shows besides its score. */
  record RecordSummary(UUID id, String fieldLabel, String valueText) {}

  @SqlQuery(
      """
      SELECT id, tenant_id, field_type::text AS field_type, value_text
      FROM feedback_records
      WHERE id = ANY(:ids)
      """)
  List<RecordText> records(@Bind("ids") UUID[] ids);

  /** The record's row, read inside the write transaction before the tenant lock. */
  @SqlQuery(
      """
      SELECT id, tenant_id, field_type::text AS field_type, value_text
      FROM feedback_records
      WHERE id = :id
      """)
  Optional<RecordText> record(@Bind("id") UUID id);

  @SqlUpdate(
      """
      INSERT INTO embeddings (feedback_record_id, embedding, model)
      VALUES (:id, CAST(:vector AS real[]), :model)
      ON CONFLICT (feedback_record_id, model) DO UPDATE
      SET embedding = EXCLUDED.embedding,
          updated_at = now()
      """)
  int upsert(@Bind("id") UUID id, @Bind("model") String model, @Bind("vector") String vector);

  @SqlUpdate(
      """
      DELETE FROM embeddings
      WHERE feedback_record_id = :id
        AND model = :model
      """)
  int clear(@Bind("id") UUID id, @Bind("model") String model);

  @SqlQuery(
      """
      SELECT cardinality(embedding)
      FROM embeddings
      WHERE model = :model
      LIMIT 1
      """)
  Optional<Integer> storedDimension(@Bind("model") String model);

  @SqlQuery(
      """
      SELECT count(*) AS count,
             COALESCE(sum(hashtextextended(e.feedback_record_id::text || ':' || e.xmin::text, 0)), 0)::text
                 AS digest
      FROM embeddings e
      JOIN feedback_records f ON f.id = e.feedback_record_id
      WHERE f.tenant_id = :tenantId
        AND e.model = :model
      """)
  Fingerprint fingerprint(@Bind("tenantId") String tenantId, @Bind("model") String model);

  @SqlQuery(
      """
      SELECT e.feedback_record_id AS id, e.xmin::text AS version
      FROM embeddings e
      JOIN feedback_records f ON f.id = e.feedback_record_id
      WHERE f.tenant_id = :tenantId
        AND e.model = :model
      """)
  List<Version> versions(@Bind("tenantId") String tenantId, @Bind("model") String model);

  @SqlQuery(
      """
      SELECT feedback_record_id AS id, xmin::text AS version, array_send(embedding) AS data
      FROM embeddings
      WHERE feedback_record_id = ANY(:ids)
        AND model = :model
      """)
  List<StoredVector> vectors(@Bind("ids") UUID[] ids, @Bind("model") String model);

  /** Every vector of the tenant and model, fetched in slices; needs an open transaction. */
  @SqlQuery(
      """
      SELECT e.feedback_record_id AS id, e.xmin::text AS version, array_send(e.embedding) AS data
      FROM embeddings e
      JOIN feedback_records f ON f.id = e.feedback_record_id
      WHERE f.tenant_id = :tenantId
        AND e.model = :model
      """)
  @FetchSize(1000)
  Stream<StoredVector> streamAll(@Bind("tenantId") String tenantId, @Bind("model") String model);

  @SqlQuery(
      """
      SELECT f.tenant_id, array_send(e.embedding) AS data
      FROM feedback_records f
      LEFT JOIN embeddings e ON e.feedback_record_id = f.id AND e.model = :model
      WHERE f.id = :id
      """)
  Optional<SourceVector> source(@Bind("id") UUID id, @Bind("model") String model);

  @SqlQuery(
      """
      SELECT id, field_label, value_text
      FROM feedback_records
      WHERE id = ANY(:ids)
        AND tenant_id = :tenantId
      """)
  List<RecordSummary> summaries(@Bind("ids") UUID[] ids, @Bind("tenantId") String tenantId);
}
