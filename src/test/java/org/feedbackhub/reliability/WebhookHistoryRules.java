package org.feedbackhub.reliability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.feedbackhub.reliability.Op.Kind;

/**
 * The webhook part of {@link HistoryChecker}, where webhooks move between tenants: where each
 * webhook can be, whether a purge had to remove it, and whether its disappearance is explained.
 *
 * <p>Only what linearizability guarantees is asserted: an operation acknowledged before a purge was
 * sent took effect before it; one sent after a purge completed took effect after it; any overlap is
 * ambiguous and asserts nothing.
 */
final class WebhookHistoryRules {
  private final List<Op> ops;
  private final Map<String, Op> creates;
  private final Map<String, String> survivors;
  private final Map<String, List<Op>> placements = new HashMap<>();

  /**
   * @param creates the acknowledged creates by webhook id
   * @param survivors the final webhooks of the history's tenants: id to tenant
   */
  WebhookHistoryRules(List<Op> ops, Map<String, Op> creates, Map<String, String> survivors) {
    this.ops = ops;
    this.creates = creates;
    this.survivors = survivors;
    creates.forEach((id, create) -> placements.put(id, new ArrayList<>(List.of(create))));
    for (Op op : ops) {
      if (op.kind() == Kind.WEBHOOK_MOVE && op.ok() && placements.containsKey(op.target())) {
        placements.get(op.target()).add(op);
      }
    }
  }

  void check(List<String> violations) {
    checkPlacement(violations);
    checkPurgedAfterPlacement(violations);
    checkSurvivors(violations);
  }

  /** The acknowledged writes that put {@code id} in a tenant: its create and its 200 moves. */
  List<Op> placements(String id) {
    return placements.getOrDefault(id, List.of());
  }

  /** Every tenant {@code id} may have been in: where its acknowledged writes placed it. */
  Set<String> possibleTenants(String id) {
    Set<String> out = new HashSet<>();
    placements(id).forEach(op -> out.add(op.tenant()));
    return out;
  }

  /**
   * A surviving webhook sits in a tenant an acknowledged write put it in (refused moves left none).
   */
  private void checkPlacement(List<String> violations) {
    survivors.forEach(
        (id, tenant) -> {
          if (creates.containsKey(id) && !possibleTenants(id).contains(tenant)) {
            violations.add(
                "a webhook sits in a tenant no acknowledged write placed it in: "
                    + id
                    + " in "
                    + tenant);
          }
        });
  }

  /**
   * A webhook placed in tenant X by a write acknowledged before a successful purge of X was sent is
   * gone after that purge: it neither survives nor answers a write sent after the purge completed.
   * Exempt: a 200 move of it to another tenant that could have committed between the placing write
   * and the purge (it may have left X in time).
   */
  private void checkPurgedAfterPlacement(List<String> violations) {
    for (String id : creates.keySet()) {
      List<Op> placements = placements(id);
      for (Op purge : ops) {
        if (purge.kind() != Kind.PURGE || !purge.ok()) {
          continue;
        }
        for (Op placed : placements) {
          if (placed.tenant().equals(purge.tenant())
              && placed.done() < purge.sent()
              && !mayHaveLeft(id, purge.tenant(), placed, purge)) {
            Op evidence = existedAfter(id, purge);
            if (evidence != null) {
              violations.add(
                  "a webhook placed in a tenant before its purge was sent outlived the purge: "
                      + placed
                      + " / "
                      + purge
                      + " / "
                      + evidence);
              return;
            }
          }
        }
      }
    }
  }

  private boolean mayHaveLeft(String id, String tenant, Op placed, Op purge) {
    return ops.stream()
        .anyMatch(
            op ->
                op.kind() == Kind.WEBHOOK_MOVE
                    && op.ok()
                    && op.target().equals(id)
                    && !op.tenant().equals(tenant)
                    && op.done() > placed.sent()
                    && op.sent() < purge.done());
  }

  /** Proof that {@code id} existed after {@code purge}: an operation, or null. */
  private Op existedAfter(String id, Op purge) {
    if (survivors.containsKey(id)) {
      return creates.get(id);
    }
    for (Op op : ops) {
      if (op.ok()
          && op.sent() > purge.done()
          && id.equals(op.target())
          && (op.kind() == Kind.WEBHOOK_UPDATE
              || op.kind() == Kind.WEBHOOK_MOVE
              || op.kind() == Kind.WEBHOOK_DELETE)) {
        return op;
      }
    }
    return null;
  }

  /**
   * An acknowledged webhook that is gone was removed by a 204 delete of it or a successful purge of
   * a tenant it may have been in, completing after its create was sent.
   */
  private void checkSurvivors(List<String> violations) {
    for (Map.Entry<String, Op> e : creates.entrySet()) {
      String id = e.getKey();
      Op create = e.getValue();
      if (survivors.containsKey(id)) {
        continue;
      }
      Set<String> tenants = possibleTenants(id);
      boolean removable =
          ops.stream()
              .anyMatch(
                  op ->
                      op.ok()
                          && op.done() > create.sent()
                          && ((op.kind() == Kind.PURGE && tenants.contains(op.tenant()))
                              || (op.kind() == Kind.WEBHOOK_DELETE && op.target().equals(id))));
      if (!removable) {
        violations.add(
            "an acknowledged webhook vanished with nothing that could delete it: " + create);
      }
    }
  }
}
