package org.feedbackhub.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.feedbackhub.db.BinaryTransfer;
import org.feedbackhub.db.EmbeddingDao;
import org.feedbackhub.db.EmbeddingDao.Fingerprint;
import org.feedbackhub.db.EmbeddingDao.StoredVector;
import org.feedbackhub.db.EmbeddingDao.Version;
import org.feedbackhub.db.Vectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded in-memory copy of each searched tenant's vectors of one model, packed in one float
 * array per tenant, kept in step with the table: a check reads the tenant's fingerprint (count and
 * a digest of every {@code (record id, row xmin)}); when it differs, the row versions are diffed
 * and only new or changed vectors are fetched. Several instances stay coherent because the truth is
 * the table.
 *
 * @implNote The fingerprint costs a scan of the tenant's rows (about 1 ms per 1,000 vectors), so a
 *     snapshot checked less than {@code revalidateAfter} ago is used as is, and an older one is
 *     used while a background check runs (stale-while-revalidate); a zero interval checks inline on
 *     every use. Embeddings are written asynchronously anyway, so a result may trail the newest
 *     vectors by that interval; deleted records never show (hits are joined to their rows). At most
 *     {@code maxVectors} vectors are held across tenants, least recently used tenants dropped
 *     first; a tenant bigger than the whole budget is not cached and callers stream its vectors.
 */
final class TenantVectorCache {
  private static final Logger LOG = LoggerFactory.getLogger(TenantVectorCache.class);

  /** An immutable snapshot of a tenant's vectors: vector i is {@code data[i*dim .. (i+1)*dim)}. */
  record Snapshot(
      Fingerprint fingerprint,
      UUID[] ids,
      String[] versions,
      float[] data,
      double[] norms,
      int dimension,
      long checkedAt) {
    int size() {
      return ids.length;
    }

    Snapshot checked(long now) {
      return new Snapshot(fingerprint, ids, versions, data, norms, dimension, now);
    }
  }

  private record Key(String tenantId, String model) {}

  private static final class Holder {
    volatile Snapshot snapshot;
    volatile long lastUsed;
    final AtomicBoolean checking = new AtomicBoolean();
  }

  private final Jdbi jdbi;
  private final EmbeddingDao dao;
  private final int maxVectors;
  private final long revalidateNanos;
  private final Executor background;
  private final Map<Key, Holder> tenants = new ConcurrentHashMap<>();
  private final AtomicLong clock = new AtomicLong();

  TenantVectorCache(Jdbi jdbi, int maxVectors, Duration revalidateAfter, Executor background) {
    this.jdbi = jdbi;
    this.dao = jdbi.onDemand(EmbeddingDao.class);
    this.maxVectors = maxVectors;
    this.revalidateNanos = revalidateAfter.toNanos();
    this.background = background;
  }

  /**
   * The tenant's vectors, or null when the tenant has more than the cache may hold (the caller then
   * streams).
   */
  Snapshot get(String tenantId, String model) {
    Key key = new Key(tenantId, model);
    Holder holder = tenants.computeIfAbsent(key, k -> new Holder());
    holder.lastUsed = clock.incrementAndGet();
    Snapshot snapshot = holder.snapshot;
    if (snapshot != null && revalidateNanos > 0) {
      if (System.nanoTime() - snapshot.checkedAt() >= revalidateNanos
          && holder.checking.compareAndSet(false, true)) {
        background.execute(
            () -> {
              try {
                check(key, holder);
              } catch (RuntimeException e) {
                LOG.warn("search cache check of a tenant failed; the next use retries", e);
              } finally {
                holder.checking.set(false);
              }
            });
      }
      return snapshot;
    }
    return check(key, holder);
  }

  private Snapshot check(Key key, Holder holder) {
    synchronized (holder) {
      Fingerprint current = dao.fingerprint(key.tenantId(), key.model());
      if (current.count() > maxVectors) {
        holder.snapshot = null;
        tenants.remove(key);
        return null;
      }
      Snapshot snapshot = holder.snapshot;
      long now = System.nanoTime();
      if (snapshot != null && snapshot.fingerprint().equals(current)) {
        snapshot = snapshot.checked(now);
      } else {
        snapshot = refresh(key, current, snapshot, now);
      }
      holder.snapshot = snapshot;
      evictBeyondBudget();
      return snapshot;
    }
  }

  private Snapshot refresh(Key key, Fingerprint current, Snapshot old, long now) {
    if (old == null || old.size() == 0) {
      return load(key, current, now);
    }
    Map<UUID, Integer> previous = new HashMap<>();
    if (old != null) {
      for (int i = 0; i < old.size(); i++) {
        previous.put(old.ids()[i], i);
      }
    }
    List<Version> versions = dao.versions(key.tenantId(), key.model());
    Map<UUID, float[]> fetched = new HashMap<>();
    List<UUID> toFetch = new ArrayList<>();
    for (Version version : versions) {
      Integer at = previous.get(version.id());
      if (at == null || !old.versions()[at].equals(version.version())) {
        toFetch.add(version.id());
      }
    }
    Map<UUID, String> fetchedVersions = new HashMap<>();
    for (int from = 0; from < toFetch.size(); from += 5000) {
      List<UUID> slice = toFetch.subList(from, Math.min(toFetch.size(), from + 5000));
      for (StoredVector stored : dao.vectors(slice.toArray(UUID[]::new), key.model())) {
        fetched.put(stored.id(), Vectors.fromArraySend(stored.data()));
        fetchedVersions.put(stored.id(), stored.version());
      }
    }
    int dimension = old != null && old.size() > 0 ? old.dimension() : 0;
    if (dimension == 0 && !fetched.isEmpty()) {
      dimension = fetched.values().iterator().next().length;
    }
    int n = versions.size();
    UUID[] ids = new UUID[n];
    String[] rowVersions = new String[n];
    float[] data = new float[n * dimension];
    double[] norms = new double[n];
    int size = 0;
    for (Version version : versions) {
      float[] vector = fetched.get(version.id());
      String rowVersion = fetchedVersions.get(version.id());
      if (vector == null) {
        Integer at = previous.get(version.id());
        if (at == null || !old.versions()[at].equals(version.version())) {
          continue; // deleted or changed again between the two reads: the next check has it
        }
        vector = new float[dimension];
        System.arraycopy(old.data(), at * dimension, vector, 0, dimension);
        rowVersion = version.version();
      }
      if (vector.length != dimension) {
        continue; // never written by the worker, which refuses other dimensions
      }
      ids[size] = version.id();
      rowVersions[size] = rowVersion;
      System.arraycopy(vector, 0, data, size * dimension, dimension);
      norms[size] = SimilarityRanking.norm(vector);
      size++;
    }
    return new Snapshot(
        current,
        Arrays.copyOf(ids, size),
        Arrays.copyOf(rowVersions, size),
        Arrays.copyOf(data, size * dimension),
        Arrays.copyOf(norms, size),
        dimension,
        now);
  }

  /** A first load: every vector in one streamed query, no diff. */
  private Snapshot load(Key key, Fingerprint current, long now) {
    List<UUID> ids = new ArrayList<>();
    List<String> versions = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    jdbi.useTransaction(
        handle -> {
          handle.addCustomizer(new BinaryTransfer());
          try (var rows =
              handle.attach(EmbeddingDao.class).streamAll(key.tenantId(), key.model())) {
            rows.forEach(
                row -> {
                  ids.add(row.id());
                  versions.add(row.version());
                  vectors.add(Vectors.fromArraySend(row.data()));
                });
          }
        });
    int dimension = vectors.isEmpty() ? 0 : vectors.get(0).length;
    int size = 0;
    UUID[] packedIds = new UUID[ids.size()];
    String[] packedVersions = new String[ids.size()];
    float[] data = new float[ids.size() * dimension];
    double[] norms = new double[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      float[] vector = vectors.get(i);
      if (vector.length != dimension) {
        continue;
      }
      packedIds[size] = ids.get(i);
      packedVersions[size] = versions.get(i);
      System.arraycopy(vector, 0, data, size * dimension, dimension);
      norms[size] = SimilarityRanking.norm(vector);
      size++;
    }
    return new Snapshot(
        current,
        Arrays.copyOf(packedIds, size),
        Arrays.copyOf(packedVersions, size),
        Arrays.copyOf(data, size * dimension),
        Arrays.copyOf(norms, size),
        dimension,
        now);
  }

  private void evictBeyondBudget() {
    synchronized (tenants) {
      long total = size();
      while (total > maxVectors && !tenants.isEmpty()) {
        Map.Entry<Key, Holder> oldest = null;
        for (Map.Entry<Key, Holder> entry : tenants.entrySet()) {
          if (oldest == null || entry.getValue().lastUsed < oldest.getValue().lastUsed) {
            oldest = entry;
          }
        }
        Snapshot dropped = oldest.getValue().snapshot;
        tenants.remove(oldest.getKey());
        total -= dropped == null ? 0 : dropped.size();
      }
    }
  }

  /** Vectors held now, for the gauge. */
  long size() {
    long total = 0;
    for (Holder holder : tenants.values()) {
      Snapshot snapshot = holder.snapshot;
      total += snapshot == null ? 0 : snapshot.size();
    }
    return total;
  }
}
