package org.feedbackhub.db;

import static org.feedbackhub.db.FeedbackRecordMapper.instant;
import static org.feedbackhub.db.FeedbackRecordMapper.json;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.feedbackhub.api.TaxonomyNodeData;
import org.feedbackhub.api.TaxonomyRunData;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Row mappers of the taxonomy tables. */
public final class TaxonomyMappers {
  private TaxonomyMappers() {}

  /** Maps a {@code taxonomy_runs} row. */
  public static final class RunMapper implements RowMapper<TaxonomyRunData> {
    @Override
    public TaxonomyRunData map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new TaxonomyRunData(
          rs.getObject("id", UUID.class),
          rs.getString("scope_type"),
          rs.getString("tenant_id"),
          rs.getString("source_type"),
          rs.getString("source_id"),
          rs.getString("field_id"),
          rs.getString("field_label"),
          rs.getString("status"),
          json(rs.getString("params")),
          json(rs.getString("metrics")),
          rs.getInt("record_count"),
          rs.getInt("embedding_count"),
          rs.getInt("cluster_count"),
          rs.getInt("node_count"),
          rs.getString("error"),
          rs.getString("error_code"),
          instant(rs, "started_at"),
          instant(rs, "finished_at"),
          instant(rs, "created_at"),
          instant(rs, "updated_at"));
    }
  }

  /** Maps a {@code taxonomy_nodes} row (without children). */
  public static final class NodeMapper implements RowMapper<TaxonomyNodeData> {
    @Override
    public TaxonomyNodeData map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new TaxonomyNodeData(
          rs.getObject("id", UUID.class),
          rs.getObject("run_id", UUID.class),
          rs.getObject("parent_id", UUID.class),
          rs.getObject("cluster_id", UUID.class),
          rs.getString("node_type"),
          rs.getString("label"),
          rs.getString("original_label"),
          rs.getString("description"),
          rs.getInt("level"),
          rs.getInt("sort_order"),
          json(rs.getString("metadata")),
          instant(rs, "removed_at"),
          rs.getString("removed_by"),
          instant(rs, "created_at"),
          instant(rs, "updated_at"),
          null);
    }
  }
}
