package org.feedbackhub.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.feedbackhub.db.EmbeddingDao;
import org.feedbackhub.db.EmbeddingDao.Fingerprint;
import org.feedbackhub.db.EmbeddingDao.StoredVector;
import org.feedbackhub.db.EmbeddingDao.Version;
import org.feedbackhub.db.Vectors;
import org.jdbi.v3.core.Jdbi;

/**
 * A bounded in-memory copy of each searched tenant's vectors of one model, kept exact by the
 * database: every use first reads the tenant's fingerprint (count and a digest of every {@code
 * (record id, row xmin)}); when it differs, the row versions are diffed and only new or changed
 * vectors are fetched. Several instances stay coherent because the truth is the table.
 *
 * @implNote At most {@code maxVectors} vectors are held across tenants (least recently used tenants
 *     are dropped first); a tenant bigger than the whole budget is not cached and callers stream
 *     its vectors instead. 384-dimension vectors cost about 1.6 KB each.
 */
final class TenantVectorCache {
  /** One cached vector with its row version and norm. */
  record Entry(String version, float[] vector, double norm) {}

  /** An immutable snapshot of a tenant's vectors. */
  record Snapshot(Fingerprint fingerprint, Map<UUID, Entry> entries) {}

  private record Key(String tenantId, String model) {}

  private static final class Holder {
    volatile Snapshot snapshot;
    volatile long lastUsed;
  }

  private final EmbeddingDao dao;
  private final int maxVectors;
  private final Map<Key, Holder> tenants = new ConcurrentHashMap<>();
  private final AtomicLong clock = new AtomicLong();

  TenantVectorCache(Jdbi jdbi, int maxVectors) {
    this.dao = jdbi.onDemand(EmbeddingDao.class);
    this.maxVectors = maxVectors;
  }

  /**
   * The tenant's current vectors, or null when the tenant has more than the cache may hold (the
   * caller then streams).
   */
  Snapshot get(String tenantId, String model) {
    Fingerprint current = dao.fingerprint(tenantId, model);
    if (current.count() > maxVectors) {
      tenants.remove(new Key(tenantId, model));
      return null;
    }
    Holder holder = tenants.computeIfAbsent(new Key(tenantId, model), k -> new Holder());
    holder.lastUsed = clock.incrementAndGet();
    Snapshot snapshot = holder.snapshot;
    if (snapshot != null && snapshot.fingerprint().equals(current)) {
      return snapshot;
    }
    synchronized (holder) {
      snapshot = holder.snapshot;
      if (snapshot == null || !snapshot.fingerprint().equals(current)) {
        snapshot = refresh(tenantId, model, current, snapshot);
        holder.snapshot = snapshot;
      }
    }
    evictBeyondBudget();
    return snapshot;
  }

  private Snapshot refresh(String tenantId, String model, Fingerprint current, Snapshot old) {
    Map<UUID, Entry> previous = old == null ? Map.of() : old.entries();
    List<Version> versions = dao.versions(tenantId, model);
    Map<UUID, Entry> next = new HashMap<>(versions.size() * 2);
    Set<UUID> missing = new HashSet<>();
    for (Version version : versions) {
      Entry known = previous.get(version.id());
      if (known != null && known.version().equals(version.version())) {
        next.put(version.id(), known);
      } else {
        missing.add(version.id());
      }
    }
    List<UUID> toFetch = new ArrayList<>(missing);
    for (int from = 0; from < toFetch.size(); from += 5000) {
      List<UUID> slice = toFetch.subList(from, Math.min(toFetch.size(), from + 5000));
      for (StoredVector stored : dao.vectors(slice.toArray(UUID[]::new), model)) {
        float[] vector = Vectors.fromArraySend(stored.data());
        next.put(stored.id(), new Entry(stored.version(), vector, SimilarityRanking.norm(vector)));
      }
    }
    return new Snapshot(current, Map.copyOf(next));
  }

  private synchronized void evictBeyondBudget() {
    long total = 0;
    for (Holder holder : tenants.values()) {
      Snapshot snapshot = holder.snapshot;
      total += snapshot == null ? 0 : snapshot.entries().size();
    }
    while (total > maxVectors && !tenants.isEmpty()) {
      Map.Entry<Key, Holder> oldest = null;
      for (Map.Entry<Key, Holder> entry : tenants.entrySet()) {
        if (oldest == null || entry.getValue().lastUsed < oldest.getValue().lastUsed) {
          oldest = entry;
        }
      }
      Snapshot dropped = oldest.getValue().snapshot;
      tenants.remove(oldest.getKey());
      total -= dropped == null ? 0 : dropped.entries().size();
    }
  }

  /** Vectors held now, for the gauge. */
  long size() {
    long total = 0;
    Collection<Holder> holders = tenants.values();
    for (Holder holder : holders) {
      Snapshot snapshot = holder.snapshot;
      total += snapshot == null ? 0 : snapshot.entries().size();
    }
    return total;
  }
}
