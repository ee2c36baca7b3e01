package org.feedbackhub.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.taxonomy.TaxonomyFixtures.createRunBody;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.UUID;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Taxonomy without its settings: no embeddings → every route answers 503; embeddings but no
 * TAXONOMY_SERVICE_URL → reads work, creating a run answers 503; no HUB_INTERNAL_API_TOKEN → the
 * internal API is not mounted at all.
 */
class TaxonomyUnconfiguredIT {
  static final HubApp BARE = HubApp.builder().build();

  static final HubApp NO_SERVICE =
      HubApp.builder().set("taxonomy.embeddingModel", TaxonomyFixtures.MODEL).build();

  @RegisterExtension static final DropwizardAppExtension<?> BARE_EXT = BARE.extension();

  @RegisterExtension static final DropwizardAppExtension<?> NO_SERVICE_EXT = NO_SERVICE.extension();

  static void assertUnavailable(Reply reply, String detail) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(503);
    assertThat(reply.json().path("code").asText()).isEqualTo("service_unavailable");
    assertThat(reply.json().path("detail").asText()).isEqualTo(detail);
  }

  @Test
  void withoutEmbeddingsEveryTaxonomyRouteIsUnavailable() {
    String off = "Taxonomy requires Hub embeddings to be configured.";
    String node = "/v1/taxonomy/nodes/" + UUID.randomUUID();
    String run = "/v1/taxonomy/runs/" + UUID.randomUUID();
    assertUnavailable(Reply.of(BARE.get("/v1/taxonomy/fields?tenant_id=t")), off);
    assertUnavailable(Reply.of(BARE.get("/v1/taxonomy/runs?tenant_id=t")), off);
    assertUnavailable(
        Reply.of(BARE.post("/v1/taxonomy/runs", createRunBody("t", "s", "", "f"))), off);
    assertUnavailable(
        Reply.of(BARE.get("/v1/taxonomy/runs/active/tree?tenant_id=t&scope_type=directory")), off);
    assertUnavailable(Reply.of(BARE.get(run + "?tenant_id=t")), off);
    assertUnavailable(Reply.of(BARE.get(run + "/tree?tenant_id=t")), off);
    assertUnavailable(Reply.of(BARE.get(run + "/record-counts?tenant_id=t")), off);
    assertUnavailable(
        Reply.of(BARE.patch(node, "{\"tenant_id\":\"t\",\"actor_id\":\"a\",\"label\":\"L\"}")),
        off);
    assertUnavailable(Reply.of(BARE.delete(node + "?tenant_id=t&actor_id=a")), off);
    assertUnavailable(Reply.of(BARE.get(node + "/records?tenant_id=t")), off);
  }

  @Test
  void withoutTheServiceUrlRunsCannotBeCreatedButReadsWork() {
    assertUnavailable(
        Reply.of(NO_SERVICE.post("/v1/taxonomy/runs", createRunBody("t", "s", "", "f"))),
        "Taxonomy service is not available.");
    assertThat(Reply.of(NO_SERVICE.get("/v1/taxonomy/runs?tenant_id=t")).status()).isEqualTo(200);
    assertThat(Reply.of(NO_SERVICE.get("/v1/taxonomy/fields?tenant_id=t")).status()).isEqualTo(200);
  }

  @Test
  void withoutTheInternalTokenTheInternalApiIsNotMounted() {
    for (HubApp app : new HubApp[] {BARE, NO_SERVICE}) {
      // Routes that do not exist answer like any unknown route: 404 to a holder of the API key,
      // 401 to anyone else (authentication fails closed before routing).
      Reply withKey =
          TaxonomyFixtures.internal(
              app, "GET", "/internal/v1/taxonomy/auth-check", null, HubApp.API_KEY);
      assertThat(withKey.status()).isEqualTo(404);
      assertThat(withKey.json().path("code").asText()).isEqualTo("not_found");
      Reply withSomeToken =
          TaxonomyFixtures.internal(app, "GET", "/internal/v1/taxonomy/auth-check", null, "x");
      assertThat(withSomeToken.status()).isEqualTo(401);
    }
  }
}
