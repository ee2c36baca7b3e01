package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.feedbackhub.reliability.HostileCases.assertContract;
import static org.feedbackhub.reliability.HostileCases.enc;
import static org.feedbackhub.reliability.HostileCases.forEachCase;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.FakeOpenAiEmbeddings;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input at the admin port's tenant routes: {@code POST /tasks/purge-tenant}, {@code POST
 * /tasks/backfill-embeddings} and {@code GET /locks}, each with a generated {@code tenant_id} (and
 * duplicates, odd neighbours, odd {@code X-Requested-By} values and methods). Never a 5xx;
 * problem+json on every 4xx; a 4xx writes no purge history and no job; a bystander tenant is never
 * touched. A purge of a tenant with a valid hostile id removes exactly that tenant's data and names
 * it verbatim. Seeds as in {@link HostileInputIT}.
 */
@Tag("reliability")
class HostileAdminIT {
  static final String MODEL = "hostile-admin-model";
  static final FakeOpenAiEmbeddings PROVIDER = new FakeOpenAiEmbeddings();
  static final HubApp APP =
      HubApp.builder()
          .set("embeddings.provider", "openai")
          .set("embeddings.model", MODEL)
          .set("embeddings.apiKey", "sk-test")
          .set("embeddings.baseUrl", PROVIDER.baseUrl())
          .set("embeddings.workerEnabled", "false")
          .set("webhooks.dispatcherEnabled", "false")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();
  static final String BYSTANDER = TenantIds.fresh("hostile-admin");

  static Api api;
  static Api admin;

  @BeforeAll
  static void seed() {
    HostileCases.announce(HostileAdminIT.class);
    api = new Api(APP.baseUrl(), true);
    admin = new Api(APP.adminUrl(), true);
    EmbeddedRecords.insert(BYSTANDER, "hostile", "s1", "q1", "embedded", MODEL);
    createRecord(BYSTANDER, "not yet embedded");
    Reply settings =
        api.send(
            "PUT", "/v1/tenants/" + enc(BYSTANDER) + "/settings", "{\"target_language\":\"de\"}");
    assertThat(settings.status()).as(settings.body()).isEqualTo(200);
  }

  @AfterAll
  static void stopProvider() {
    PROVIDER.close();
  }

  @Test
  void purgeTenantQueries() {
    forEachCase(
        HostileAdminIT.class,
        "purgeTenantQueries",
        50,
        c ->
            send("POST", "/tasks/purge-tenant", c.draw("query", queries()), Set.of(200, 400, 414)));
  }

  @Test
  void backfillQueries() {
    forEachCase(
        HostileAdminIT.class,
        "backfillQueries",
        50,
        c ->
            send(
                "POST",
                "/tasks/backfill-embeddings",
                c.draw("query", queries()),
                Set.of(200, 400, 414)));
  }

  @Test
  void lockMonitorQueries() {
    forEachCase(
        HostileAdminIT.class,
        "lockMonitorQueries",
        40,
        c -> send("GET", "/locks", c.draw("query", queries()), Set.of(200, 400, 414)));
  }

  private void send(String method, String path, String query, Set<Integer> allowed) {
    String bystander = TenantRows.snapshot(BYSTANDER);
    long purges = Db.queryLong("SELECT count(*) FROM tenant_purges");
    long jobs = Db.queryLong("SELECT count(*) FROM outbox_messages");
    Reply reply =
        admin.send(method, path + "?" + query, null, "X-Requested-By", "hostile-input-test");
    assertContract(reply, allowed);
    if (reply.status() == 200) {
      assertThat(reply.contentType()).startsWith("application/json");
    }
    if (reply.status() >= 400) {
      assertThat(reply.json().path("request_id").asText()).isEqualTo(reply.header("X-Request-ID"));
    }
    assertThat(TenantRows.snapshot(BYSTANDER)).as("bystander tenant").isEqualTo(bystander);
    if (reply.status() >= 400 || method.equals("GET")) {
      assertThat(Db.queryLong("SELECT count(*) FROM tenant_purges"))
          .as("purge history after a %d", reply.status())
          .isEqualTo(purges);
      assertThat(Db.queryLong("SELECT count(*) FROM outbox_messages"))
          .as("jobs after a %d", reply.status())
          .isEqualTo(jobs);
    }
  }

  @Test
  void requestedByHeadersAndMethods() {
    forEachCase(
        HostileAdminIT.class,
        "requestedByHeadersAndMethods",
        60,
        c -> {
          String route =
              c.draw("route", Gen.of("/tasks/purge-tenant", "/tasks/backfill-embeddings"));
          String method = c.draw("method", Gen.of("POST", "POST", "PUT", "DELETE", "PATCH", "GET"));
          String marker = c.draw("marker", requestedBy());
          String tenant = TenantIds.fresh("hostile-admin-m");
          createRecord(tenant, "kept unless purged");
          String before = TenantRows.snapshot(tenant);
          Reply reply =
              marker == null
                  ? admin.send(method, route + "?tenant_id=" + enc(tenant), null, "Accept", "*/*")
                  : admin.send(
                      method, route + "?tenant_id=" + enc(tenant), null, "X-Requested-By", marker);
          assertContract(reply, Set.of(200, 403, 405));
          boolean allowedThrough = marker != null && !marker.isBlank() && method.equals("POST");
          if (!method.equals("GET") && !allowedThrough) {
            assertThat(reply.status()).isIn(403, 405);
          }
          if (reply.status() >= 400) {
            assertThat(TenantRows.snapshot(tenant)).isEqualTo(before);
          }
        });
  }

  @Test
  void aTenantWithAValidHostileIdIsPurgedAndNamedVerbatim() {
    forEachCase(
        HostileAdminIT.class,
        "aTenantWithAValidHostileIdIsPurgedAndNamedVerbatim",
        30,
        c -> {
          String tenant = c.draw("tenant", Hostile.validStrings(200)) + "|" + UUID.randomUUID();
          createRecord(tenant, "doomed");
          Reply locks = admin.get("/locks?tenant_id=" + enc(tenant));
          assertThat(locks.status()).as(locks.body()).isEqualTo(200);
          assertThat(locks.json().path("lookup").path("tenant_id").asText())
              .isEqualTo(tenant.strip());
          Reply purged =
              admin.send(
                  "POST",
                  "/tasks/purge-tenant?tenant_id=" + enc(tenant),
                  null,
                  "X-Requested-By",
                  "hostile-input-test");
          assertThat(purged.status()).as(purged.body()).isEqualTo(200);
          assertThat(purged.json().path("tenant_id").asText()).isEqualTo(tenant.strip());
          assertThat(purged.json().path("deleted_feedback_records").asLong()).isEqualTo(1);
          assertThat(TenantRows.snapshot(tenant.strip())).doesNotContain("\nr", "r(");
          assertThat(
                  Db.queryLong(
                      "SELECT count(*) FROM feedback_records WHERE tenant_id = ?", tenant.strip()))
              .isZero();
        });
  }

  // --- generators -----------------------------------------------------------------------------

  /** A query with zero to three {@code tenant_id}s (duplicates included) and odd neighbours. */
  static Gen<String> queries() {
    Gen<String> tenant =
        Gen.oneOf(
            Gen.of(Hostile.VALID_NASTY),
            Gen.of(Hostile.INVALID),
            Gen.strings(0, 30).filter(Hostile::encodable),
            Gen.of("", " ", "%", "x".repeat(255), "x".repeat(256), "\u0000"));
    Gen<String> other = r -> enc(Gen.strings(0, 8).next(r)) + "=" + enc(Gen.strings(0, 8).next(r));
    return r -> {
      List<String> parts = new ArrayList<>();
      int tenants = r.nextInt(4);
      for (int i = 0; i < tenants; i++) {
        String t = tenant.next(r);
        if (!t.strip().equals(BYSTANDER)) {
          parts.add("tenant_id=" + enc(t));
        }
      }
      if (r.nextInt(3) == 0) {
        parts.add(r.nextInt(parts.size() + 1), other.next(r));
      }
      if (r.nextInt(8) == 0) {
        parts.add("tenant_id");
      }
      return String.join("&", parts);
    };
  }

  /** {@code X-Requested-By} values; null means the header is left out. */
  static Gen<String> requestedBy() {
    return Gen.oneOf(
        Gen.of(" ", "\t", "ops", "' OR 1=1 --", "x".repeat(2000)),
        r -> null,
        Gen.strings(' ', '~', 1, 40));
  }

  private static void createRecord(String tenant, String text) {
    Reply created =
        api.post(
            "/v1/feedback-records",
            "{\"tenant_id\":"
                + Hostile.quote(tenant)
                + ",\"source_type\":\"hostile\",\"field_id\":\"f\",\"field_type\":\"text\","
                + "\"submission_id\":"
                + Hostile.quote(UUID.randomUUID().toString())
                + ",\"value_text\":"
                + Hostile.quote(text)
                + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
  }
}
