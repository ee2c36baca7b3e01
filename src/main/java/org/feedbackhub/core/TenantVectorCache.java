package org.feedbackhub.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * A bounded in-memory copy of each searched tenant's vectors of one model ({@link VectorSnapshot},
 * 8-bit codes), kept in step with the table: a check reads the tenant's fingerprint (count and a
 * digest of every {@code (record id, row xmin)}); when it differs, the row versions are diffed and
 * only new or changed vectors are fetched. Several instances stay coherent because the truth is the
 * table.
 *
 * @implNote The fingerprint costs a scan of the tenant's rows (about 1 ms per 1,000 vectors), so a
 *     snapshot checked less than {@code revalidateAfter} ago (or ten times its last fingerprint's
 *     duration, if longer, so a large tenant's checks take at most a tenth of the time) is used as
 *     is, and an older one is used while a background check runs (stale-while-revalidate); a zero
 *     interval checks inline on every use. Embeddings are written asynchronously anyway, so a
 *     result may trail the newest vectors by that interval; deleted records never show (hits are
 *     joined to their rows). Bounds: at most {@code maxVectors} vectors and {@code maxTenants}
 *     entries across tenants, least recently used dropped first; a tenant bigger than the whole
 *     vector budget is not cached and callers stream its vectors; a tenant without vectors is never
 *     kept.
 */
final class TenantVectorCache {
  private static final Logger LOG = LoggerFactory.getLogger(TenantVectorCache.class);
  private static final int FETCH_SLICE = 5000;

  private record Key(String tenantId, String model) {}

  private static final class Holder {
    volatile VectorSnapshot snapshot;
    volatile long fingerprintNanos;
    final AtomicBoolean checking = new AtomicBoolean();
  }

  private final Jdbi jdbi;
  private final EmbeddingDao dao;
  private final int maxVectors;
  private final int maxTenants;
  private final long revalidateNanos;
  private final Executor background;

  /** In access order, eldest first; guarded by itself, as is {@link #heldVectors}. */
  private final LinkedHashMap<Key, Holder> tenants = new LinkedHashMap<>(16, 0.75f, true);

  private long heldVectors;

  TenantVectorCache(
      Jdbi jdbi, int maxVectors, int maxTenants, Duration revalidateAfter, Executor background) {
    this.jdbi = jdbi;
    this.dao = jdbi.onDemand(EmbeddingDao.class);
    this.maxVectors = maxVectors;
    this.maxTenants = Math.max(1, maxTenants);
    this.revalidateNanos = revalidateAfter.toNanos();
    this.background = background;
  }

  /**
   * The tenant's vectors (empty when it has none), or null when the tenant has more than the cache
   * may hold (the caller then streams).
   */
  VectorSnapshot get(String tenantId, String model) {
    Key key = new Key(tenantId, model);
    Holder holder;
    synchronized (tenants) {
      holder = tenants.computeIfAbsent(key, k -> new Holder());
      dropBeyondBounds(holder);
    }
    VectorSnapshot snapshot = holder.snapshot;
    if (snapshot != null && revalidateNanos > 0) {
      long due = Math.max(revalidateNanos, 10 * holder.fingerprintNanos);
      if (System.nanoTime() - snapshot.checkedAt() >= due
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
    try {
      return check(key, holder);
    } catch (RuntimeException e) {
      if (holder.snapshot == null) {
        forget(key, holder); // an entry that never held vectors must not linger
      }
      throw e;
    }
  }

  private VectorSnapshot check(Key key, Holder holder) {
    synchronized (holder) {
      long started = System.nanoTime();
      Fingerprint current = dao.fingerprint(key.tenantId(), key.model());
      long now = System.nanoTime();
      holder.fingerprintNanos = now - started;
      if (current.count() > maxVectors || current.count() == 0) {
        forget(key, holder);
        return current.count() == 0 ? VectorSnapshot.EMPTY : null;
      }
      VectorSnapshot snapshot = holder.snapshot;
      if (snapshot != null && snapshot.fingerprint().equals(current)) {
        snapshot = snapshot.checked(now);
      } else {
        snapshot =
            snapshot == null ? load(key, current, now) : refresh(key, current, snapshot, now);
      }
      if (snapshot.size() == 0) {
        forget(key, holder); // only vectors of another dimension: nothing worth keeping
        return snapshot;
      }
      install(key, holder, snapshot);
      return snapshot;
    }
  }

  /** Swaps the holder's snapshot and drops least recently used entries beyond the bounds. */
  private void install(Key key, Holder holder, VectorSnapshot snapshot) {
    synchronized (tenants) {
      VectorSnapshot old = holder.snapshot;
      holder.snapshot = snapshot;
      if (tenants.get(key) != holder) {
        return; // dropped while it loaded; the next use starts over
      }
      heldVectors += snapshot.size() - (old == null ? 0 : old.size());
      dropBeyondBounds(holder);
    }
  }

  /** Drops least recently used entries but {@code keep} while over a bound; holds the lock. */
  private void dropBeyondBounds(Holder keep) {
    Iterator<Holder> eldestFirst = tenants.values().iterator();
    while ((tenants.size() > maxTenants || heldVectors > maxVectors) && eldestFirst.hasNext()) {
      Holder dropped = eldestFirst.next();
      if (dropped == keep) {
        continue;
      }
      eldestFirst.remove();
      VectorSnapshot droppedSnapshot = dropped.snapshot;
      heldVectors -= droppedSnapshot == null ? 0 : droppedSnapshot.size();
    }
  }

  private void forget(Key key, Holder holder) {
    synchronized (tenants) {
      if (tenants.get(key) == holder) {
        tenants.remove(key);
        VectorSnapshot snapshot = holder.snapshot;
        heldVectors -= snapshot == null ? 0 : snapshot.size();
      }
      holder.snapshot = null;
    }
  }

  /** Diffs the row versions against {@code old} and fetches only new or changed vectors. */
  private VectorSnapshot refresh(Key key, Fingerprint current, VectorSnapshot old, long now) {
    Map<UUID, Integer> previous = new HashMap<>(old.size() * 2);
    for (int i = 0; i < old.size(); i++) {
      previous.put(old.ids()[i], i);
    }
    List<Version> versions = dao.versions(key.tenantId(), key.model());
    Map<UUID, StoredVector> fetched = new HashMap<>();
    UUID[] toFetch = new UUID[versions.size()];
    int changed = 0;
    for (Version version : versions) {
      Integer at = previous.get(version.id());
      if (at == null || old.versions()[at] != VectorSnapshot.version(version.version())) {
        toFetch[changed++] = version.id();
      }
    }
    for (int from = 0; from < changed; from += FETCH_SLICE) {
      UUID[] slice = Arrays.copyOfRange(toFetch, from, Math.min(changed, from + FETCH_SLICE));
      for (StoredVector stored : dao.vectors(slice, key.model())) {
        fetched.put(stored.id(), stored);
      }
    }
    VectorSnapshot.Builder builder = new VectorSnapshot.Builder(versions.size(), old.dimension());
    for (Version version : versions) {
      StoredVector stored = fetched.get(version.id());
      if (stored != null) {
        builder.add(
            stored.id(),
            VectorSnapshot.version(stored.version()),
            Vectors.fromArraySend(stored.data()));
        continue;
      }
      Integer at = previous.get(version.id());
      if (at != null && old.versions()[at] == VectorSnapshot.version(version.version())) {
        builder.copy(old, at);
      } // else deleted or changed again between the two reads: the next check has it
    }
    return builder.build(current, now);
  }

  /** A first load: every vector in one streamed query, encoded as it arrives. */
  private VectorSnapshot load(Key key, Fingerprint current, long now) {
    VectorSnapshot.Builder builder =
        new VectorSnapshot.Builder((int) Math.min(current.count(), maxVectors), 0);
    jdbi.useTransaction(
        handle -> {
          handle.addCustomizer(new BinaryTransfer());
          try (var rows =
              handle.attach(EmbeddingDao.class).streamAll(key.tenantId(), key.model())) {
            rows.forEach(
                row ->
                    builder.add(
                        row.id(),
                        VectorSnapshot.version(row.version()),
                        Vectors.fromArraySend(row.data())));
          }
        });
    return builder.build(current, now);
  }

  /** Vectors held now, for the gauge. */
  long size() {
    synchronized (tenants) {
      return heldVectors;
    }
  }

  /** Whether the tenant's vectors of the model are held now (without counting as a use). */
  boolean holds(String tenantId, String model) {
    synchronized (tenants) {
      for (Map.Entry<Key, Holder> entry : tenants.entrySet()) {
        if (entry.getKey().equals(new Key(tenantId, model))) {
          return entry.getValue().snapshot != null;
        }
      }
      return false;
    }
  }

  /** Entries (tenant and model) held now, loading ones included. */
  int entries() {
    synchronized (tenants) {
      return tenants.size();
    }
  }
}
