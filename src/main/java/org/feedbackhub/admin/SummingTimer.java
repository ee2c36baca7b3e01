package org.feedbackhub.admin;

import com.codahale.metrics.Clock;
import com.codahale.metrics.ExponentiallyDecayingReservoir;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Dropwizard timer that also keeps the sum of every duration it recorded, so that Prometheus can
 * export it as a summary with {@code _sum}, and {@code rate(_sum) / rate(_count)} is the mean.
 *
 * @implNote The sum lives in the timer's histogram, because every path of {@link Timer} ({@code
 *     update}, {@code time(...)}, a context's {@code stop}) records through it.
 */
public final class SummingTimer extends Timer {
  private final SummingHistogram histogram;

  public SummingTimer() {
    this(new SummingHistogram());
  }

  private SummingTimer(SummingHistogram histogram) {
    super(new Meter(), histogram, Clock.defaultClock());
    this.histogram = histogram;
  }

  /** The sum of every recorded duration, in nanoseconds. */
  public long sumNanos() {
    return histogram.sum.sum();
  }

  /** The registry whose {@code timer(name)} makes summing timers, for Dropwizard's bootstrap. */
  public static MetricRegistry registry() {
    return new MetricRegistry() {
      @Override
      public Timer timer(String name) {
        return timer(name, SummingTimer::new);
      }
    };
  }

  /** The timer's histogram with a running sum beside its reservoir. */
  private static final class SummingHistogram extends Histogram {
    private final LongAdder sum = new LongAdder();

    SummingHistogram() {
      super(new ExponentiallyDecayingReservoir());
    }

    @Override
    public void update(long value) {
      super.update(value);
      if (value >= 0) {
        sum.add(value);
      }
    }
  }
}
