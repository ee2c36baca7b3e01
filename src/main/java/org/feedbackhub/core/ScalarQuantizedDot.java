package org.feedbackhub.core;

/**
 * The portable {@link QuantizedDot}: four independent float accumulators, which the JIT pipelines.
 */
final class ScalarQuantizedDot implements QuantizedDot {
  @Override
  public float dot(float[] query, byte[] codes, int offset) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int n = query.length;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += query[i] * codes[offset + i];
      s1 += query[i + 1] * codes[offset + i + 1];
      s2 += query[i + 2] * codes[offset + i + 2];
      s3 += query[i + 3] * codes[offset + i + 3];
    }
    for (; i < n; i++) {
      s0 += query[i] * codes[offset + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public String name() {
    return "scalar";
  }
}
