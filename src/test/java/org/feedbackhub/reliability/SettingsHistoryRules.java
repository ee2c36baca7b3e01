package org.feedbackhub.reliability;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.feedbackhub.reliability.Op.Kind;

/**
 * The tenant-settings part of {@link HistoryChecker}. Every settings write (PUT or PATCH) sets
 * {@code target_language} to a value no other write uses, so the final value names its writer.
 * Real-time order only: a write acknowledged before a purge was sent took effect before it; a write
 * sent after a purge completed took effect after it.
 */
final class SettingsHistoryRules {
  private static final Set<Kind> WRITES = Set.of(Kind.SETTINGS_PUT, Kind.SETTINGS_PATCH);

  private final List<Op> ops;
  private final Set<String> tenants;
  private final Map<String, String> finalValues;

  /**
   * @param tenants the history's tenants
   * @param finalValues the final {@code target_language} of the tenants that have a settings row
   */
  SettingsHistoryRules(List<Op> ops, Set<String> tenants, Map<String, String> finalValues) {
    this.ops = ops;
    this.tenants = tenants;
    this.finalValues = finalValues;
  }

  void check(List<String> violations) {
    for (String tenant : tenants) {
      List<Op> acknowledged =
          ops.stream()
              .filter(op -> WRITES.contains(op.kind()) && op.ok() && tenant.equals(op.tenant()))
              .toList();
      List<Op> purges =
          ops.stream()
              .filter(op -> op.kind() == Kind.PURGE && op.ok() && tenant.equals(op.tenant()))
              .toList();
      checkTenant(tenant, acknowledged, purges, violations);
    }
  }

  private void checkTenant(String tenant, List<Op> writes, List<Op> purges, List<String> out) {
    boolean present = finalValues.containsKey(tenant);
    long lastWriteDone = writes.stream().mapToLong(Op::done).max().orElse(Long.MIN_VALUE);
    long lastPurgeDone = purges.stream().mapToLong(Op::done).max().orElse(Long.MIN_VALUE);
    Op purgeAfterAll =
        purges.stream().filter(p -> p.sent() > lastWriteDone).findFirst().orElse(null);
    if (present && purgeAfterAll != null) {
      out.add(
          "settings survived a purge sent after their last acknowledged write: "
              + tenant
              + " / "
              + purgeAfterAll);
    }
    Op writtenAfterPurges =
        writes.stream().filter(w -> w.sent() > lastPurgeDone).findFirst().orElse(null);
    if (!present && writtenAfterPurges != null) {
      out.add(
          "settings acknowledged after the last purge completed are gone: " + writtenAfterPurges);
    }
    if (!present) {
      return;
    }
    String value = finalValues.get(tenant);
    Op writer = writes.stream().filter(w -> w.value().equals(value)).findFirst().orElse(null);
    if (writer == null) {
      out.add("settings hold a value no acknowledged write wrote: " + tenant + " = " + value);
      return;
    }
    for (Op later : writes) {
      if (later.sent() > writer.done()) {
        out.add("a settings write was lost: " + writer + " still stands after " + later);
        return;
      }
    }
    for (Op purge : purges) {
      if (purge.sent() > writer.done()) {
        out.add(
            "a settings value outlived a purge sent after its write: " + writer + " / " + purge);
        return;
      }
    }
  }
}
