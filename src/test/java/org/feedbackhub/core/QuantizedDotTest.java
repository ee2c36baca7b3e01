package org.feedbackhub.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both dot products of a float query with 8-bit codes agree, and the fast one is in use. */
class QuantizedDotTest {
  @Test
  void theTestJvmRanksWithTheVectorApi() {
    // surefire runs with --add-modules jdk.incubator.vector, as jvm.options runs the service
    assertThat(QuantizedDot.fastest().name()).startsWith("Vector API");
  }

  @Test
  void vectorisedAndScalarAgreeWithinFloatRounding() {
    QuantizedDot vectorised = QuantizedDot.fastest();
    QuantizedDot scalar = new ScalarQuantizedDot();
    Random random = new Random(25);
    for (int dimension : new int[] {1, 3, 7, 16, 31, 33, 384, 385, 1536}) {
      float[] query = new float[dimension];
      byte[] codes = new byte[dimension + 5];
      double l1 = 0;
      for (int j = 0; j < dimension; j++) {
        query[j] = (float) random.nextGaussian();
        l1 += Math.abs(query[j]);
      }
      random.nextBytes(codes);
      codes[5] = -128 + 1;
      double exact = 0;
      for (int j = 0; j < dimension; j++) {
        exact += (double) query[j] * codes[5 + j];
      }
      double allowed = 127 * l1 * (dimension + 2) * 0x1p-23;
      assertThat((double) vectorised.dot(query, codes, 5)).isCloseTo(exact, within(allowed));
      assertThat((double) scalar.dot(query, codes, 5)).isCloseTo(exact, within(allowed));
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double allowed) {
    return org.assertj.core.data.Offset.offset(allowed);
  }
}
