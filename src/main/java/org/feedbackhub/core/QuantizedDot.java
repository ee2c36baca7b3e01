package org.feedbackhub.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dot product of a float query with one vector stored as signed 8-bit codes, the inner loop of
 * a cached search. Implementations may sum in any order; the ranking bounds their rounding (see
 * {@link CandidateScan}), so a faster one never changes a result.
 */
interface QuantizedDot {
  /** {@code sum(query[j] * codes[offset + j])} over the query's length, in float arithmetic. */
  float dot(float[] query, byte[] codes, int offset);

  /** A short name for the start-up log and tests. */
  String name();

  /**
   * The JDK's Vector API ({@code jdk.incubator.vector}) when the runtime resolves that module, the
   * scalar loop otherwise.
   *
   * @implNote The module is an incubator one: the JVM resolves it only with {@code --add-modules
   *     jdk.incubator.vector} (jvm.options has it). The class that uses it is loaded by name and
   *     only when the module is there, so a JVM without the flag never links it and runs the scalar
   *     loop.
   */
  static QuantizedDot fastest() {
    Logger log = LoggerFactory.getLogger(QuantizedDot.class);
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        QuantizedDot vectorised =
            (QuantizedDot)
                Class.forName("org.feedbackhub.core.VectorApiQuantizedDot")
                    .getDeclaredConstructor()
                    .newInstance();
        log.info("semantic search ranks with the Vector API ({})", vectorised.name());
        return vectorised;
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        log.warn("the Vector API is present but unusable here; ranking with the scalar loop", e);
      }
    } else {
      log.info(
          "semantic search ranks with the scalar loop (start the JVM with --add-modules"
              + " jdk.incubator.vector, as jvm.options does, for the Vector API)");
    }
    return new ScalarQuantizedDot();
  }
}
