package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.feedbackhub.reliability.HistoryChecker.FinalRecord;
import org.feedbackhub.reliability.Op.Kind;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;
import org.feedbackhub.testing.TenantIds;
import org.feedbackhub.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded, randomized history check: {@value #WORKERS} concurrent HTTP clients issue creates,
 * updates, deletes, deletes by user, webhook writes (moves of a webhook to another of the three
 * tenants included), tenant settings PUTs and PATCHes and purges for three fresh tenants for about
 * 15 s ({@code -Dhistory.seconds=N} for longer, {@code -Dhistory.seed=S} to replay a seed: the same
 * seed gives each worker the same sequence of choices, though not the same interleaving). Every
 * operation's send time, response time and outcome is recorded, then {@link HistoryChecker} checks
 * the history against the final rows. With "acknowledged" meaning a 2xx response was received:
 *
 * <ol>
 *   <li>Only documented statuses occur: create 201/409t, update 200/404/409t, delete 204/404/409t,
 *       delete-by-user 200/409t, webhook writes likewise (a move: 200/404/409t), settings writes
 *       200/409t, purge 200/409t; never a 5xx, never a transport failure; every 409 is {@code
 *       tenant_write_conflict}.
 *   <li>Nothing refused is half-done: every surviving record and webhook was written by an
 *       acknowledged create, and a surviving record's {@code value_text} was written by its create
 *       or by an acknowledged update of it (each write carries a unique value).
 *   <li>A create acknowledged before a successful purge of its tenant was <em>sent</em> is gone
 *       afterwards (records; webhooks, which can move, below).
 *   <li>An acknowledged record survives unless something could have deleted it: a successful purge
 *       of its tenant, a 204 delete of it, or a successful delete-by-user of its user (unfiltered
 *       or in its tenant) with a non-zero count, each completing after the create was sent.
 *       Webhooks likewise (purge or 204 delete). Purges of the other tenants never count: no tenant
 *       is touched by another's purge.
 *   <li>Exact accounting, summed over the three tenants (an unfiltered delete-by-user reports one
 *       count across tenants, so records balance globally; webhooks only move among the three, so
 *       they balance too): acknowledged creates = survivors + 204 deletes + the {@code
 *       deleted_count} of successful deletes by user + the {@code deleted_feedback_records} of
 *       successful purges. This holds because every acknowledged delete, erase and purge reports
 *       exactly the rows its committed transaction removed, each row is removed at most once, and a
 *       409 rolls everything back and reports nothing. It cannot be checked per tenant for records;
 *       what a single purge removed cannot be predicted either, since creates and deletes
 *       overlapping it may land on either side.
 *   <li>Webhooks move ({@link WebhookHistoryRules}): a surviving webhook sits in a tenant an
 *       acknowledged create or move put it in; one placed in tenant X by a write acknowledged
 *       before a successful purge of X was sent is gone after it (it neither survives nor answers a
 *       write sent after the purge completed), unless a 200 move of it to another tenant could have
 *       committed in between; one that vanished was deleted, or purged from a tenant it may have
 *       been in.
 *   <li>Settings ({@link SettingsHistoryRules}; each write sets a unique {@code target_language}):
 *       a tenant whose successful purge was sent after its last acknowledged settings write has no
 *       settings; settings acknowledged by a write sent after the tenant's last successful purge
 *       completed survive; the surviving value is an acknowledged write's, not overwritten by a
 *       write sent after it was acknowledged, nor by a purge sent after it.
 *   <li>Every writer's {@code tenant_write_conflict} overlaps in time a purge of a tenant it locks
 *       (a move locks both tenants; a webhook write may also be refused by a concurrent move), and
 *       every purge's overlaps some other operation of the tenant (delete-by-user is exempt: its
 *       drift guard conflicts with concurrent creates of the user by design).
 *   <li>Afterwards no advisory lock of the tenants is held and no backend of the application is
 *       idle in transaction.
 * </ol>
 *
 * What cannot be checked from client-side times alone: whether a create that overlapped a
 * successful purge committed before or after it; the deterministic lock tests in {@code
 * org.feedbackhub.tenant} prove that case.
 */
@Tag("reliability")
class HistoryCheckIT {
  static final int WORKERS = 8;
  static final String APP_NAME = "fh-history";

  static final HubApp APP =
      HubApp.builder()
          .set("tenantPurgeLockTimeoutSeconds", "1")
          .set("database.maxConnections", "12")
          .set("database.applicationName", APP_NAME)
          .set("webhooks.allowPrivateTargets", "true")
          .set("webhooks.blacklist", "")
          .set("webhooks.dispatcherEnabled", "false")
          .set("webhooks.maxCount", "1000000")
          .build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aConcurrentHistoryWithPurgesKeepsEveryPromise() throws Exception {
    long seed = Long.getLong("history.seed", System.nanoTime());
    long seconds = Long.getLong("history.seconds", 15);
    System.out.printf("HistoryCheckIT seed=%d (replay: -Dhistory.seed=%d)%n", seed, seed);
    String run = Long.toHexString(seed);
    List<String> tenants =
        List.of(TenantIds.fresh("h0"), TenantIds.fresh("h1"), TenantIds.fresh("h2"));
    List<String> users = List.of("user-a-" + run, "user-b-" + run, "user-c-" + run);
    Shared shared = new Shared(new Api(APP.baseUrl()), tenants, users);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<List<Op>>> futures = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      Worker worker = new Worker(w, new Random(seed * 31 + w), shared, deadline);
      futures.add(pool.submit(worker::run));
    }
    List<Op> history = new ArrayList<>();
    for (Future<List<Op>> f : futures) {
      history.addAll(f.get(seconds + 120, TimeUnit.SECONDS));
    }
    pool.shutdown();

    Map<String, FinalRecord> records = finalRecords(tenants);
    Map<String, String> webhooks = finalWebhooks(tenants);
    Map<String, String> settings = finalSettings(tenants);
    List<String> violations = new HistoryChecker(history, records, webhooks, settings).check();
    System.out.printf(
        "HistoryCheckIT seed=%d: %d operations in %d s, %d records and %d webhooks survive; %s%n",
        seed, history.size(), seconds, records.size(), webhooks.size(), summary(history));

    assertThat(violations)
        .as("history violations (seed=%d, replay with -Dhistory.seed=%d)", seed, seed)
        .isEmpty();
    assertThat(history.stream().filter(op -> op.kind() == Kind.PURGE && op.ok()).count())
        .as("successful purges (seed=%d)", seed)
        .isPositive();
    assertThat(history.stream().filter(op -> op.kind() == Kind.WEBHOOK_MOVE && op.ok()).count())
        .as("webhooks moved between tenants (seed=%d)", seed)
        .isPositive();
    assertThat(
            history.stream()
                .filter(op -> op.kind() == Kind.SETTINGS_PUT || op.kind() == Kind.SETTINGS_PATCH)
                .filter(Op::ok)
                .count())
        .as("settings written (seed=%d)", seed)
        .isPositive();
    assertThat(history.stream().filter(Op::tenantConflict).count())
        .as("writers refused during purges (seed=%d)", seed)
        .isPositive();
    Hygiene.awaitClean(tenants, APP_NAME);
  }

  /** What the workers share: the client, the ids, and the ids acknowledged so far per tenant. */
  record Shared(
      Api api,
      List<String> tenants,
      List<String> users,
      Map<String, List<String>> records,
      Map<String, List<String>> webhooks) {
    Shared(Api api, List<String> tenants, List<String> users) {
      this(api, tenants, users, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
      for (String t : tenants) {
        records.put(t, Collections.synchronizedList(new ArrayList<>()));
        webhooks.put(t, Collections.synchronizedList(new ArrayList<>()));
      }
    }

    static String pick(List<String> ids, Random random) {
      synchronized (ids) {
        return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
      }
    }
  }

  /** One client: a seeded sequence of operations until the deadline. */
  static final class Worker {
    private final int id;
    private final Random random;
    private final Shared shared;
    private final long deadline;
    private final List<Op> ops = new ArrayList<>();
    private int n;

    Worker(int id, Random random, Shared shared, long deadline) {
      this.id = id;
      this.random = random;
      this.shared = shared;
      this.deadline = deadline;
    }

    List<Op> run() {
      while (System.nanoTime() < deadline) {
        String tenant = shared.tenants().get(random.nextInt(shared.tenants().size()));
        int dice = random.nextInt(100);
        n++;
        if (dice < 36) {
          create(tenant);
        } else if (dice < 46) {
          String target = Shared.pick(shared.records().get(tenant), random);
          if (target != null) {
            String value = "updated:" + id + "-" + n;
            record(
                Kind.UPDATE,
                tenant,
                target,
                value,
                "PATCH",
                "/v1/feedback-records/" + target,
                "{\"value_text\":\"" + value + "\"}");
          }
        } else if (dice < 54) {
          String target = Shared.pick(shared.records().get(tenant), random);
          if (target != null) {
            record(
                Kind.DELETE,
                tenant,
                target,
                null,
                "DELETE",
                "/v1/feedback-records/" + target,
                null);
          }
        } else if (dice < 58) {
          String user = shared.users().get(random.nextInt(shared.users().size()));
          boolean scoped = random.nextBoolean();
          record(
              Kind.DELETE_BY_USER,
              scoped ? tenant : null,
              user,
              null,
              "DELETE",
              "/v1/feedback-records?user_id=" + user + (scoped ? "&tenant_id=" + tenant : ""),
              null);
        } else if (dice < 66) {
          Op op =
              record(
                  Kind.WEBHOOK_CREATE,
                  tenant,
                  null,
                  null,
                  "POST",
                  "/v1/webhooks",
                  "{\"url\":\"http://127.0.0.1:9/hook-"
                      + id
                      + "-"
                      + n
                      + "\",\"tenant_id\":\""
                      + tenant
                      + "\"}");
          if (op.status() == 201) {
            shared.webhooks().get(tenant).add(op.body().path("id").asText());
          }
        } else if (dice < 71) {
          String target = Shared.pick(shared.webhooks().get(tenant), random);
          if (target != null) {
            record(
                Kind.WEBHOOK_UPDATE,
                tenant,
                target,
                null,
                "PATCH",
                "/v1/webhooks/" + target,
                "{\"enabled\":" + random.nextBoolean() + "}");
          }
        } else if (dice < 76) {
          moveWebhook(tenant);
        } else if (dice < 81) {
          String target = Shared.pick(shared.webhooks().get(tenant), random);
          if (target != null) {
            record(
                Kind.WEBHOOK_DELETE,
                tenant,
                target,
                null,
                "DELETE",
                "/v1/webhooks/" + target,
                null);
          }
        } else if (dice < 88) {
          writeSettings(tenant);
        } else if (dice < 92) {
          record(Kind.PURGE, tenant, null, null, "DELETE", "/v1/tenants/" + tenant + "/data", null);
        } else {
          create(tenant);
        }
      }
      return ops;
    }

    /** PATCHes a webhook of {@code tenant} (as this client last saw it) into another tenant. */
    private void moveWebhook(String tenant) {
      String target = Shared.pick(shared.webhooks().get(tenant), random);
      if (target == null) {
        return;
      }
      List<String> others = new ArrayList<>(shared.tenants());
      others.remove(tenant);
      String destination = others.get(random.nextInt(others.size()));
      Op op =
          record(
              Kind.WEBHOOK_MOVE,
              destination,
              target,
              null,
              "PATCH",
              "/v1/webhooks/" + target,
              "{\"tenant_id\":\"" + destination + "\"}");
      if (op.ok()) {
        shared.webhooks().values().forEach(ids -> ids.remove(target));
        shared.webhooks().get(destination).add(target);
      }
    }

    /** A PUT or PATCH of the tenant's settings with a target_language no other write uses. */
    private void writeSettings(String tenant) {
      String value = "de-x-w" + id + "n" + n;
      boolean put = random.nextBoolean();
      record(
          put ? Kind.SETTINGS_PUT : Kind.SETTINGS_PATCH,
          tenant,
          null,
          value,
          put ? "PUT" : "PATCH",
          "/v1/tenants/" + tenant + "/settings",
          put
              ? "{\"target_language\":\"" + value + "\",\"sentiment_enabled\":true}"
              : "{\"target_language\":\"" + value + "\"}");
    }

    private void create(String tenant) {
      String submission = "s-" + id + "-" + n;
      String user = shared.users().get(random.nextInt(shared.users().size()));
      String body =
          "{\"tenant_id\":\""
              + tenant
              + "\",\"source_type\":\"history\",\"field_id\":\"f\","
              + "\"field_type\":\"text\",\"submission_id\":\""
              + submission
              + "\",\"user_id\":\""
              + user
              + "\",\"value_text\":\"created:"
              + submission
              + "\"}";
      Op op = record(Kind.CREATE, tenant, submission, user, "POST", "/v1/feedback-records", body);
      if (op.status() == 201) {
        shared.records().get(tenant).add(op.body().path("id").asText());
      }
    }

    private Op record(
        Kind kind,
        String tenant,
        String target,
        String value,
        String method,
        String path,
        String json) {
      long sent = System.nanoTime();
      Reply reply = shared.api().send(method, path, json);
      long done = System.nanoTime();
      JsonNode body = reply.body().isEmpty() || reply.status() < 0 ? null : reply.json();
      String code = reply.status() >= 400 && body != null ? body.path("code").asText(null) : null;
      Op op = new Op(id, kind, tenant, target, value, sent, done, reply.status(), code, body);
      ops.add(op);
      return op;
    }
  }

  private static Map<String, FinalRecord> finalRecords(List<String> tenants) throws Exception {
    Map<String, FinalRecord> rows = new HashMap<>();
    try (Connection c = TestDatabase.get().rawConnection("feedback-hub-test-history");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id::text, tenant_id, submission_id, value_text FROM feedback_records"
                    + " WHERE tenant_id = ANY (?::text[])")) {
      s.setArray(1, c.createArrayOf("text", tenants.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          FinalRecord r =
              new FinalRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
          rows.put(r.id(), r);
        }
      }
    }
    return rows;
  }

  private static Map<String, String> finalWebhooks(List<String> tenants) throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = TestDatabase.get().rawConnection("feedback-hub-test-history");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id::text, tenant_id FROM webhooks WHERE tenant_id = ANY (?::text[])")) {
      s.setArray(1, c.createArrayOf("text", tenants.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return rows;
  }

  private static Map<String, String> finalSettings(List<String> tenants) throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection c = TestDatabase.get().rawConnection("feedback-hub-test-history");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT tenant_id, settings->>'target_language' FROM tenant_settings"
                    + " WHERE tenant_id = ANY (?::text[])")) {
      s.setArray(1, c.createArrayOf("text", tenants.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return rows;
  }

  private static String summary(List<Op> history) {
    Map<String, Long> counts =
        history.stream()
            .collect(
                Collectors.groupingBy(
                    op -> op.kind() + " " + op.status(), TreeMap::new, Collectors.counting()));
    return counts.toString();
  }

  static Duration elapsed(long fromNanos) {
    return Duration.ofNanos(System.nanoTime() - fromNanos);
  }
}
