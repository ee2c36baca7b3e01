package org.feedbackhub.reliability;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.feedbackhub.reliability.Op.Kind;

/**
 * The offline checker of a recorded history (see {@link HistoryCheckIT} for the invariants). Pure:
 * it looks only at the operations and at the final rows of the history's tenants, and returns the
 * violations it found, each naming the operations involved.
 */
final class HistoryChecker {
  /** A feedback record as it stands after the history. */
  record FinalRecord(String id, String tenant, String submissionId, String valueText) {}

  private static final Map<Kind, Set<Integer>> ALLOWED = new EnumMap<>(Kind.class);

  static {
    ALLOWED.put(Kind.CREATE, Set.of(201, 409));
    ALLOWED.put(Kind.UPDATE, Set.of(200, 404, 409));
    ALLOWED.put(Kind.DELETE, Set.of(204, 404, 409));
    ALLOWED.put(Kind.DELETE_BY_USER, Set.of(200, 409));
    ALLOWED.put(Kind.WEBHOOK_CREATE, Set.of(201, 409));
    ALLOWED.put(Kind.WEBHOOK_UPDATE, Set.of(200, 404, 409));
    ALLOWED.put(Kind.WEBHOOK_DELETE, Set.of(204, 404, 409));
    ALLOWED.put(Kind.WEBHOOK_MOVE, Set.of(200, 404, 409));
    ALLOWED.put(Kind.SETTINGS_PUT, Set.of(200, 409));
    ALLOWED.put(Kind.SETTINGS_PATCH, Set.of(200, 409));
    ALLOWED.put(Kind.PURGE, Set.of(200, 409));
  }

  private final List<Op> ops;
  private final Map<String, FinalRecord> records;
  private final Map<String, String> webhooks;
  private final Map<String, String> settings;
  private final List<String> violations = new ArrayList<>();
  private WebhookHistoryRules webhookRules;

  /**
   * @param records the final feedback records of the history's tenants, by id
   * @param webhooks the final webhooks of the history's tenants: id to tenant
   * @param settings the final {@code target_language} of the history's tenants with settings
   */
  HistoryChecker(
      List<Op> ops,
      Map<String, FinalRecord> records,
      Map<String, String> webhooks,
      Map<String, String> settings) {
    this.ops = ops;
    this.records = records;
    this.webhooks = webhooks;
    this.settings = settings;
  }

  List<String> check() {
    checkStatuses();
    Map<String, Op> recordCreates = acknowledgedCreates(Kind.CREATE);
    Map<String, Op> webhookCreates = acknowledgedCreates(Kind.WEBHOOK_CREATE);
    webhookRules = new WebhookHistoryRules(ops, webhookCreates, webhooks);
    checkNoTraceOfRefusedWrites(recordCreates, webhookCreates);
    checkPurgedAfterAcknowledgement(recordCreates, records.keySet(), "record");
    checkRecordsSurvive(recordCreates);
    webhookRules.check(violations);
    new SettingsHistoryRules(ops, tenants(), settings).check(violations);
    checkAccounting(recordCreates, webhookCreates);
    checkConflictsAreExplained(recordCreates);
    return violations;
  }

  private void checkStatuses() {
    for (Op op : ops) {
      if (!ALLOWED.get(op.kind()).contains(op.status())) {
        violations.add("undocumented status: " + op + " body=" + op.body());
      } else if (op.status() == 409 && !op.tenantConflict()) {
        violations.add("409 other than tenant_write_conflict: " + op);
      }
    }
  }

  /** The 201 creates of {@code kind}, by the id the response returned. */
  private Map<String, Op> acknowledgedCreates(Kind kind) {
    Map<String, Op> byId = new HashMap<>();
    for (Op op : ops) {
      if (op.kind() == kind && op.status() == 201) {
        byId.put(op.body().path("id").asText(), op);
      }
    }
    return byId;
  }

  private void checkNoTraceOfRefusedWrites(
      Map<String, Op> recordCreates, Map<String, Op> webhookCreates) {
    Map<String, String> acknowledgedValues = new HashMap<>();
    for (Op op : ops) {
      if (op.kind() == Kind.UPDATE && op.status() == 200) {
        acknowledgedValues.put(op.value(), op.target());
      }
    }
    for (FinalRecord r : records.values()) {
      Op create = recordCreates.get(r.id());
      if (create == null || !create.target().equals(r.submissionId())) {
        violations.add("a record no acknowledged create wrote survives: " + r);
        continue;
      }
      boolean fromCreate = createValue(create).equals(r.valueText());
      boolean fromUpdate = r.id().equals(acknowledgedValues.get(r.valueText()));
      if (!fromCreate && !fromUpdate) {
        violations.add("a record holds a value no acknowledged write wrote: " + r);
      }
    }
    for (String id : webhooks.keySet()) {
      if (!webhookCreates.containsKey(id)) {
        violations.add("a webhook no acknowledged create wrote survives: " + id);
      }
    }
  }

  private void checkPurgedAfterAcknowledgement(
      Map<String, Op> creates, Set<String> survivors, String what) {
    for (Map.Entry<String, Op> e : creates.entrySet()) {
      Op create = e.getValue();
      for (Op purge : ops) {
        if (purge.kind() == Kind.PURGE
            && purge.ok()
            && purge.tenant().equals(create.tenant())
            && purge.sent() > create.done()
            && survivors.contains(e.getKey())) {
          violations.add(
              "a "
                  + what
                  + " acknowledged before a purge was sent survived it: "
                  + create
                  + " / "
                  + purge);
          break;
        }
      }
    }
  }

  private void checkRecordsSurvive(Map<String, Op> creates) {
    for (Map.Entry<String, Op> e : creates.entrySet()) {
      String id = e.getKey();
      Op create = e.getValue();
      if (records.containsKey(id)) {
        continue;
      }
      boolean removable =
          ops.stream()
              .anyMatch(
                  op ->
                      op.ok()
                          && op.done() > create.sent()
                          && switch (op.kind()) {
                            case PURGE -> op.tenant().equals(create.tenant());
                            case DELETE -> op.target().equals(id);
                            case DELETE_BY_USER ->
                                op.target().equals(create.value())
                                    && (op.tenant() == null || op.tenant().equals(create.tenant()))
                                    && op.body().path("deleted_count").asLong() > 0;
                            default -> false;
                          });
      if (!removable) {
        violations.add(
            "an acknowledged record vanished with nothing that could delete it: " + create);
      }
    }
  }

  private void checkAccounting(Map<String, Op> recordCreates, Map<String, Op> webhookCreates) {
    long recordDeletes = count(Kind.DELETE, 204);
    long erased = sum(Kind.DELETE_BY_USER, "deleted_count");
    long purgedRecords = sum(Kind.PURGE, "deleted_feedback_records");
    long expected = recordCreates.size();
    long accounted = records.size() + recordDeletes + erased + purgedRecords;
    if (expected != accounted) {
      violations.add(
          String.format(
              "records: %d acknowledged creates != %d survivors + %d deletes + %d erased by user"
                  + " + %d purged",
              expected, records.size(), recordDeletes, erased, purgedRecords));
    }
    long webhookDeletes = count(Kind.WEBHOOK_DELETE, 204);
    long purgedWebhooks = sum(Kind.PURGE, "deleted_webhooks");
    long accountedWebhooks = webhooks.size() + webhookDeletes + purgedWebhooks;
    if (webhookCreates.size() != accountedWebhooks) {
      violations.add(
          String.format(
              "webhooks: %d acknowledged creates != %d survivors + %d deletes + %d purged",
              webhookCreates.size(), webhooks.size(), webhookDeletes, purgedWebhooks));
    }
  }

  /**
   * A writer's 409 must overlap a purge of a tenant it locks, and a purge's 409 some other
   * operation locking its tenant: a conflict nobody caused would be a leaked or mis-keyed lock. A
   * webhook write may also be refused because a move of the same webhook changed its tenant
   * meanwhile.
   */
  private void checkConflictsAreExplained(Map<String, Op> recordCreates) {
    Set<String> reported = new HashSet<>();
    for (Op op : ops) {
      if (!op.tenantConflict() || op.kind() == Kind.DELETE_BY_USER) {
        continue;
      }
      Set<String> locked = tenantsOf(op, recordCreates);
      if (locked.isEmpty()) {
        continue;
      }
      boolean explained =
          ops.stream()
              .anyMatch(
                  other ->
                      other != op
                          && other.overlaps(op)
                          && (((other.kind() == Kind.PURGE || op.kind() == Kind.PURGE)
                                  && !Collections.disjoint(locked, tenantsOf(other, recordCreates)))
                              || (other.kind() == Kind.WEBHOOK_MOVE
                                  && other.target().equals(op.target()))));
      if (!explained && reported.add(op.kind() + String.join(",", locked))) {
        violations.add("a tenant_write_conflict with no overlapping purge or writer: " + op);
      }
    }
  }

  /** The tenants whose lock {@code op} may have taken; empty when unknown. */
  private Set<String> tenantsOf(Op op, Map<String, Op> recordCreates) {
    return switch (op.kind()) {
      case UPDATE, DELETE -> {
        Op create = recordCreates.get(op.target());
        yield create == null ? Set.of() : Set.of(create.tenant());
      }
      case WEBHOOK_UPDATE, WEBHOOK_DELETE -> webhookRules.possibleTenants(op.target());
      case WEBHOOK_MOVE -> {
        Set<String> both = new HashSet<>(webhookRules.possibleTenants(op.target()));
        both.add(op.tenant());
        yield both;
      }
      case DELETE_BY_USER -> op.tenant() == null ? Set.of() : Set.of(op.tenant());
      default -> Set.of(op.tenant());
    };
  }

  private Set<String> tenants() {
    Set<String> out = new HashSet<>();
    for (Op op : ops) {
      if (op.tenant() != null) {
        out.add(op.tenant());
      }
    }
    return out;
  }

  static String createValue(Op create) {
    return "created:" + create.target();
  }

  private long count(Kind kind, int status) {
    return ops.stream().filter(op -> op.kind() == kind && op.status() == status).count();
  }

  private long sum(Kind kind, String field) {
    return ops.stream()
        .filter(op -> op.kind() == kind && op.ok())
        .mapToLong(op -> op.body().path(field).asLong())
        .sum();
  }
}
