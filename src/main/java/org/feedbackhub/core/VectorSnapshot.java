package org.feedbackhub.core;

import java.util.Arrays;
import java.util.UUID;
import org.feedbackhub.db.EmbeddingDao.Fingerprint;

/**
 * An immutable in-memory copy of one tenant's vectors of one model, each stored as signed 8-bit
 * codes with one scale: vector i is about {@code scale * codes[i*dim .. (i+1)*dim)}, off by at most
 * half a scale step per element. The ranking scans the codes and re-ranks the best few exactly from
 * the table. {@code weights[i]} is that scale over the exact norm of the stored floats: 0 for a
 * zero vector (never ranked), NaN when the scale underflowed (always re-ranked).
 *
 * @implNote About {@code dimension + 48} bytes a vector (432 at 384 dimensions): the codes, a
 *     double weight, an int row version ({@code xmin}) and the record id (a UUID object of 32 bytes
 *     and its reference).
 */
record VectorSnapshot(
    Fingerprint fingerprint,
    UUID[] ids,
    int[] versions,
    byte[] codes,
    double[] weights,
    int dimension,
    long checkedAt) {
  static final VectorSnapshot EMPTY =
      new VectorSnapshot(
          new Fingerprint(0, "0"), new UUID[0], new int[0], new byte[0], new double[0], 0, 0);

  int size() {
    return ids.length;
  }

  VectorSnapshot checked(long now) {
    return new VectorSnapshot(fingerprint, ids, versions, codes, weights, dimension, now);
  }

  /** A row version ({@code xmin::text}, an unsigned 32-bit transaction id) as an int. */
  static int version(String text) {
    return (int) Long.parseLong(text);
  }

  /**
   * Writes {@code vector}'s codes at {@code codes[offset ..]} and returns their scale (the largest
   * magnitude over 127, so every code is in -127..127 and off by at most half a step).
   */
  static float encode(float[] vector, byte[] codes, int offset) {
    float largest = 0;
    for (float value : vector) {
      largest = Math.max(largest, Math.abs(value));
    }
    float scale = largest / 127;
    for (int j = 0; j < vector.length; j++) {
      long code = scale == 0 ? 0 : Math.round(vector[j] / (double) scale);
      codes[offset + j] = (byte) Math.max(-127, Math.min(127, code));
    }
    return scale;
  }

  /** Collects vectors of one dimension (the first one's), skipping others, without boxing. */
  static final class Builder {
    private UUID[] ids;
    private int[] versions;
    private byte[] codes;
    private double[] weights;
    private int dimension;
    private int size;

    /**
     * @param expected how many vectors to make room for at first
     * @param dimension the dimension, or 0 to take the first vector's
     */
    Builder(int expected, int dimension) {
      int capacity = Math.max(16, expected);
      this.dimension = dimension;
      ids = new UUID[capacity];
      versions = new int[capacity];
      weights = new double[capacity];
      codes = new byte[dimension == 0 ? 0 : capacity * dimension];
    }

    /** Adds a vector read from the table; a vector of another dimension is skipped. */
    void add(UUID id, int version, float[] vector) {
      if (dimension == 0) {
        dimension = vector.length;
        codes = new byte[ids.length * dimension];
      }
      if (vector.length != dimension || dimension == 0) {
        return;
      }
      grow();
      ids[size] = id;
      versions[size] = version;
      float scale = encode(vector, codes, size * dimension);
      double norm = SimilarityRanking.norm(vector);
      weights[size] = norm == 0 ? 0 : scale == 0 ? Double.NaN : scale / norm;
      size++;
    }

    /** Adds vector {@code at} of {@code old} as it is (unchanged since that snapshot). */
    void copy(VectorSnapshot old, int at) {
      if (dimension == 0) {
        dimension = old.dimension();
        codes = new byte[ids.length * dimension];
      }
      if (old.dimension() != dimension) {
        return;
      }
      grow();
      ids[size] = old.ids()[at];
      versions[size] = old.versions()[at];
      System.arraycopy(old.codes(), at * dimension, codes, size * dimension, dimension);
      weights[size] = old.weights()[at];
      size++;
    }

    private void grow() {
      if (size < ids.length) {
        return;
      }
      int capacity = ids.length * 2;
      ids = Arrays.copyOf(ids, capacity);
      versions = Arrays.copyOf(versions, capacity);
      weights = Arrays.copyOf(weights, capacity);
      codes = Arrays.copyOf(codes, capacity * dimension);
    }

    VectorSnapshot build(Fingerprint fingerprint, long now) {
      if (size == ids.length) { // exactly as expected: no second copy of a large tenant
        return new VectorSnapshot(fingerprint, ids, versions, codes, weights, dimension, now);
      }
      return new VectorSnapshot(
          fingerprint,
          Arrays.copyOf(ids, size),
          Arrays.copyOf(versions, size),
          Arrays.copyOf(codes, size * dimension),
          Arrays.copyOf(weights, size),
          dimension,
          now);
    }
  }
}
