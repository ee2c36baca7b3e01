package org.feedbackhub.core;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link QuantizedDot} on the JDK's Vector API: each step widens as many codes as a preferred
 * float vector has lanes (16 with AVX-512, 8 with AVX2) and multiplies-adds them into two
 * accumulators.
 *
 * @implNote Links against {@code jdk.incubator.vector}, so only {@link QuantizedDot#fastest} loads
 *     it, by name, after checking that the module is resolved.
 */
final class VectorApiQuantizedDot implements QuantizedDot {
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> CODES =
      FLOATS.length() >= 8
          ? VectorSpecies.of(byte.class, VectorShape.forBitSize(FLOATS.length() * Byte.SIZE))
          : null;

  VectorApiQuantizedDot() {
    if (CODES == null) {
      throw new IllegalStateException("float vectors of fewer than 8 lanes: not worth it");
    }
  }

  @Override
  public float dot(float[] query, byte[] codes, int offset) {
    int lanes = FLOATS.length();
    FloatVector sum0 = FloatVector.zero(FLOATS);
    FloatVector sum1 = FloatVector.zero(FLOATS);
    int n = query.length;
    int i = 0;
    for (; i + 2 * lanes <= n; i += 2 * lanes) {
      FloatVector c0 = widen(codes, offset + i);
      FloatVector c1 = widen(codes, offset + i + lanes);
      sum0 = FloatVector.fromArray(FLOATS, query, i).fma(c0, sum0);
      sum1 = FloatVector.fromArray(FLOATS, query, i + lanes).fma(c1, sum1);
    }
    float sum = sum0.add(sum1).reduceLanes(VectorOperators.ADD);
    for (; i < n; i++) {
      sum += query[i] * codes[offset + i];
    }
    return sum;
  }

  private static FloatVector widen(byte[] codes, int at) {
    return (FloatVector)
        ByteVector.fromArray(CODES, codes, at).convertShape(VectorOperators.B2F, FLOATS, 0);
  }

  @Override
  public String name() {
    return "Vector API, " + FLOATS.vectorBitSize() + "-bit";
  }
}
