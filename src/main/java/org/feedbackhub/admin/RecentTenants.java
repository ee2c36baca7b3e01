package org.feedbackhub.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tenant ids this process locked recently, with their advisory lock keys once known, so the
 * lock monitor can name the tenant behind a {@code pg_locks} row. Bounded: the least recently
 * locked ids are forgotten first.
 *
 * @implNote The key hash is computed in SQL ({@code hashtextextended}), never in Java, so ids
 *     arrive here without a hash and the monitor fills it in on its next poll with {@link
 *     #unhashed} and {@link #remember}.
 */
public final class RecentTenants implements Consumer<String> {
  private final Map<String, Long> keysByTenant;

  public RecentTenants(int capacity) {
    this.keysByTenant =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Records that {@code tenantId} is being locked; called on every lock, so it stays O(1). */
  @Override
  public synchronized void accept(String tenantId) {
    if (tenantId != null) {
      // get() refreshes a known id's place in the access order; a new id waits for its key
      if (keysByTenant.get(tenantId) == null) {
        keysByTenant.put(tenantId, null);
      }
    }
  }

  /** Ids whose key has not been computed yet. */
  public synchronized List<String> unhashed() {
    List<String> ids = new ArrayList<>();
    keysByTenant.forEach(
        (id, key) -> {
          if (key == null) {
            ids.add(id);
          }
        });
    return ids;
  }

  /** Stores the signed 64-bit key of {@code tenantId}, if it is still remembered. */
  public synchronized void remember(String tenantId, long key) {
    // not computeIfPresent: it treats the null of a not-yet-hashed id as absent
    if (keysByTenant.containsKey(tenantId)) {
      keysByTenant.put(tenantId, key);
    }
  }

  /** A copy of key → tenant for one poll, so lookups do not hold the lock. */
  public synchronized Map<Long, String> byKey() {
    Map<Long, String> copy = new HashMap<>();
    keysByTenant.forEach(
        (id, key) -> {
          if (key != null) {
            copy.put(key, id);
          }
        });
    return copy;
  }
}
