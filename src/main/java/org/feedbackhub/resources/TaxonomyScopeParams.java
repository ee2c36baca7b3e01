package org.feedbackhub.resources;

import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.feedbackhub.api.Validation;
import org.feedbackhub.db.TaxonomyDao.Scope;

/**
 * The query parameters that name a taxonomy scope, shared by the run list and the active tree, and
 * the rules of a scope. The fields are public because the OpenAPI reader documents only visible
 * bean parameters.
 */
public class TaxonomyScopeParams {
  static final List<String> SCOPE_TYPES = List.of("field", "directory");

  @QueryParam("tenant_id")
  public String tenantId;

  @QueryParam("scope_type")
  public String scopeType;

  @QueryParam("source_type")
  public String sourceType;

  @QueryParam("source_id")
  public String sourceId;

  @QueryParam("field_id")
  public String fieldId;

  /**
   * Checks the parameters as a filter of runs, where each one left out matches any run, adding
   * every rule violation to {@code v}.
   *
   * @return the tenant id
   */
  String checkFilter(Validation v) {
    String tenant = v.tenantId("tenant_id", tenantId);
    v.oneOf("scope_type", scopeType, SCOPE_TYPES, false);
    v.optionalText("source_type", sourceType, Validation.ID_MAX);
    v.optionalText("source_id", sourceId, Validation.ID_MAX);
    v.optionalText("field_id", fieldId, Validation.ID_MAX);
    return tenant;
  }

  /** The scope, with every rule violation added to {@code v}. */
  Scope toScope(Validation v) {
    String tenant = v.tenantId("tenant_id", tenantId);
    return scope(v, tenant, scopeType, sourceType, sourceId, fieldId);
  }

  /**
   * A run scope: {@code field} (default) needs source_type and field_id, source_id "" or absent
   * meaning "no source"; {@code directory} must omit all three.
   */
  static Scope scope(
      Validation v,
      String tenant,
      String scopeType,
      String sourceType,
      String sourceId,
      String fieldId) {
    String type = scopeType == null ? "field" : scopeType;
    v.oneOf("scope_type", type, SCOPE_TYPES, false);
    if (type.equals("directory")) {
      String omit = "must be omitted for directory scope";
      if (sourceType != null && !sourceType.isEmpty()) {
        v.add("source_type", omit);
      }
      if (sourceId != null && !sourceId.isEmpty()) {
        v.add("source_id", omit);
      }
      if (fieldId != null && !fieldId.isEmpty()) {
        v.add("field_id", omit);
      }
      return new Scope(tenant, type, "", "", "");
    }
    v.requiredText("source_type", sourceType, Validation.ID_MAX);
    if (sourceType != null && sourceType.isBlank() && !sourceType.isEmpty()) {
      v.add("source_type", "must be at least 1");
    }
    v.optionalText("source_id", sourceId, Validation.ID_MAX);
    v.requiredText("field_id", fieldId, Validation.ID_MAX);
    if (fieldId != null && fieldId.isBlank() && !fieldId.isEmpty()) {
      v.add("field_id", "must be at least 1");
    }
    return new Scope(tenant, type, sourceType, sourceId == null ? "" : sourceId, fieldId);
  }
}
