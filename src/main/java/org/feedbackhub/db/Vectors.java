package org.feedbackhub.db;

import java.nio.ByteBuffer;

/** Conversions of {@code real[]} vectors between Java and PostgreSQL. */
public final class Vectors {
  private static final int FLOAT4_OID = 700;

  private Vectors() {}

  /** The {@code real[]} input text of {@code vector}. */
  public static String toArrayLiteral(float[] vector) {
    StringBuilder text = new StringBuilder(vector.length * 12 + 2).append('{');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      text.append(vector[i]);
    }
    return text.append('}').toString();
  }

  /**
   * Reads the binary form {@code array_send} gives a one-dimensional {@code real[]}: ndim, has-null
   * flag, element oid, then length and lower bound, then each element as length and value.
   *
   * @throws IllegalArgumentException when the bytes are not a 1-d {@code real[]} without NULLs
   */
  public static float[] fromArraySend(byte[] data) {
    ByteBuffer buffer = ByteBuffer.wrap(data);
    int dimensions = buffer.getInt();
    int hasNulls = buffer.getInt();
    int elementType = buffer.getInt();
    if (dimensions != 1 || hasNulls != 0 || elementType != FLOAT4_OID) {
      throw new IllegalArgumentException("not a one-dimensional real[] without NULLs");
    }
    int length = buffer.getInt();
    buffer.getInt();
    float[] vector = new float[length];
    for (int i = 0; i < length; i++) {
      buffer.getInt();
      vector[i] = buffer.getFloat();
    }
    return vector;
  }
}
