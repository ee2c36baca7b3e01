package bench;

import java.util.Arrays;
import java.util.List;

/** Latency samples in nanoseconds and the summary figures a report prints. */
final class Stats {
  private long[] samples = new long[1024];
  private int size;

  synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  synchronized void addAll(Stats other) {
    for (int i = 0; i < other.size; i++) {
      add(other.samples[i]);
    }
  }

  synchronized int count() {
    return size;
  }

  /** The {@code p}-th percentile (0..100) in milliseconds. */
  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * size) - 1;
    return sorted[Math.max(0, Math.min(size - 1, index))] / 1e6;
  }

  /** min, median and max of repeated measurements. */
  static double[] minMedianMax(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new double[] {sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]};
  }
}
