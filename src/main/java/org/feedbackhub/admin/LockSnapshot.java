package org.feedbackhub.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One reading of the tenant write locks, as the lock monitor feed serves it (field names become
 * snake_case in JSON): the backends, who blocks whom as a tree, and a one-line summary.
 */
public record LockSnapshot(
    Instant at,
    Monitor monitor,
    Summary summary,
    List<Backend> locks,
    List<Backend> blockedBehind,
    List<TreeNode> blockingTree,
    Lookup lookup) {

  /** The monitor's own session, so a reader can check it is not among the backends. */
  public record Monitor(
      String applicationName, int pid, String statementTimeout, int serverVersionNum) {}

  /**
   * A backend holding or waiting for a lock. Keys are strings because JSON numbers lose precision
   * past 2^53.
   */
  public record Backend(
      int pid,
      String lockType,
      String mode,
      String pgMode,
      boolean granted,
      String keySigned,
      String keyUnsigned,
      String tenantId,
      String applicationName,
      String clientAddr,
      String state,
      String waitEventType,
      String waitEvent,
      String query,
      Long xactAgeMs,
      Long waitMs,
      List<Integer> blockedBy) {}

  /**
   * Tenants under purge now (exclusive granted), queued purges (exclusive waiting), writers in
   * flight (shared granted), refused-to-wait writers never show because they never wait.
   */
  public record Summary(
      int tenantsUnderPurge,
      int queuedPurges,
      int writersInFlight,
      int waitingBackends,
      Long longestWaitMs) {}

  /** A blocker and the sessions waiting behind it, directly ({@code children}) or transitively. */
  public record TreeNode(
      int pid,
      String mode,
      String tenantId,
      boolean waiting,
      int waitersBehind,
      List<TreeNode> children) {}

  /** The hashed key of a tenant id typed into the page. */
  public record Lookup(
      String tenantId, String lockKeyText, String keySigned, String keyUnsigned, long rows) {}

  static LockSnapshot of(
      Instant at, Monitor monitor, List<Backend> locks, List<Backend> blocked, Lookup lookup) {
    List<Backend> all = new ArrayList<>(locks);
    all.addAll(blocked);
    return new LockSnapshot(at, monitor, summarise(all), locks, blocked, tree(all), lookup);
  }

  private static Summary summarise(List<Backend> all) {
    Set<String> purged = new HashSet<>();
    int queued = 0;
    int writers = 0;
    Set<Integer> waiting = new HashSet<>();
    Long longest = null;
    for (Backend b : all) {
      boolean advisory = "advisory".equals(b.lockType());
      if (advisory && b.granted() && "exclusive".equals(b.mode())) {
        purged.add(b.keySigned());
      } else if (advisory && !b.granted() && "exclusive".equals(b.mode())) {
        queued++;
      } else if (advisory && b.granted() && "shared".equals(b.mode())) {
        writers++;
      }
      if (!b.granted()) {
        waiting.add(b.pid());
        if (b.waitMs() != null && (longest == null || b.waitMs() > longest)) {
          longest = b.waitMs();
        }
      }
    }
    return new Summary(purged.size(), queued, writers, waiting.size(), longest);
  }

  /**
   * Root blockers first (backends that block someone and wait for nobody), most waiters first; each
   * node lists who waits on it directly. A backend blocked by two others appears under both.
   */
  private static List<TreeNode> tree(List<Backend> all) {
    Map<Integer, Backend> byPid = new LinkedHashMap<>();
    Map<Integer, List<Integer>> waitersOf = new LinkedHashMap<>();
    for (Backend b : all) {
      Backend known = byPid.get(b.pid());
      // a backend both holding (one key) and waiting (another) is shown by its waiting row
      if (known == null || !b.granted()) {
        byPid.put(b.pid(), b);
      }
      if (!b.granted() && b.blockedBy() != null) {
        for (int blocker : b.blockedBy()) {
          List<Integer> waiters = waitersOf.computeIfAbsent(blocker, k -> new ArrayList<>());
          if (!waiters.contains(b.pid())) {
            waiters.add(b.pid());
          }
        }
      }
    }
    List<TreeNode> roots = new ArrayList<>();
    for (Integer blocker : waitersOf.keySet()) {
      Backend b = byPid.get(blocker);
      boolean waits =
          b != null && !b.granted() && b.blockedBy() != null && !b.blockedBy().isEmpty();
      if (!waits) {
        roots.add(node(blocker, byPid, waitersOf, new HashSet<>()));
      }
    }
    roots.sort(Comparator.comparingInt(TreeNode::waitersBehind).reversed());
    return roots;
  }

  private static TreeNode node(
      int pid,
      Map<Integer, Backend> byPid,
      Map<Integer, List<Integer>> waitersOf,
      Set<Integer> path) {
    path.add(pid);
    List<TreeNode> children = new ArrayList<>();
    for (int waiter : waitersOf.getOrDefault(pid, List.of())) {
      if (!path.contains(waiter)) { // a deadlock cycle lasts until PostgreSQL's detector breaks it
        children.add(node(waiter, byPid, waitersOf, path));
      }
    }
    path.remove(pid);
    Set<Integer> behind = new HashSet<>();
    collect(children, behind);
    Backend b = byPid.get(pid);
    return new TreeNode(
        pid,
        b == null ? null : b.mode(),
        b == null ? null : b.tenantId(),
        b != null && !b.granted(),
        behind.size(),
        children);
  }

  private static void collect(List<TreeNode> nodes, Set<Integer> into) {
    for (TreeNode n : nodes) {
      into.add(n.pid());
      collect(n.children(), into);
    }
  }
}
