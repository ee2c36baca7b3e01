package org.feedbackhub.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The result of a tenant data purge: exact counts per tenant-owned table. */
public record TenantDataDeleteResponse(
    @JsonProperty("tenant_id") String tenantId,
    @JsonProperty("deleted_feedback_records") long deletedFeedbackRecords,
    @JsonProperty("deleted_embeddings") long deletedEmbeddings,
    @JsonProperty("deleted_webhooks") long deletedWebhooks,
    @JsonProperty("deleted_taxonomy_runs") long deletedTaxonomyRuns,
    @JsonProperty("deleted_taxonomy_clusters") long deletedTaxonomyClusters,
    @JsonProperty("deleted_taxonomy_cluster_memberships") long deletedTaxonomyClusterMemberships,
    @JsonProperty("deleted_taxonomy_nodes") long deletedTaxonomyNodes,
    @JsonProperty("deleted_taxonomy_active_runs") long deletedTaxonomyActiveRuns,
    @JsonProperty("deleted_taxonomy_node_events") long deletedTaxonomyNodeEvents,
    String message) {}
