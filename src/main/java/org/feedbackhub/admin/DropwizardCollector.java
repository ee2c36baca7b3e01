package org.feedbackhub.admin;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.feedbackhub.admin.PrometheusSeries.Kind;

/**
 * Reads the service's Dropwizard registry at each scrape as Prometheus snapshots: meters and the
 * service's own (monotonic) counters as counters, timers and histograms as summaries in seconds,
 * gauges and the framework's up-and-down counters as gauges, named by {@link PrometheusSeries}.
 *
 * @implNote A Dropwizard counter can go down (Jetty's {@code active-requests} is one), so only the
 *     counters whose names feedback-hub owns ({@code hub_*}, the tenant lock's and the purge's),
 *     which only ever increase, are exported as counters. Rates (the meters' 1-, 5- and 15-minute
 *     averages) are left out: Prometheus derives them from the totals. A timer recorded by a {@link
 *     SummingTimer} gets a {@code _sum}; other timers (Jersey's, which build their own) and
 *     histograms only quantiles and a count. A name that two metrics of different kinds map to is
 *     exported once, for the first (in name order).
 */
final class DropwizardCollector implements MultiCollector {
  private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

  private final MetricRegistry registry;

  DropwizardCollector(MetricRegistry registry) {
    this.registry = registry;
  }

  @Override
  public MetricSnapshots collect() {
    Families families = new Families();
    registry
        .getCounters()
        .forEach(
            (name, counter) -> {
              if (isMonotonic(name)) {
                families.counter(name, counter.getCount());
              } else {
                families.gauge(name, counter.getCount());
              }
            });
    registry.getMeters().forEach((name, meter) -> families.counter(name, meter.getCount()));
    registry.getGauges().forEach((name, gauge) -> number(gauge).ifPresent(families.gauge(name)));
    registry.getTimers().forEach(families::timer);
    registry.getHistograms().forEach(families::histogram);
    return families.snapshots();
  }

  private static boolean isMonotonic(String name) {
    return name.startsWith("hub_")
        || name.startsWith("tenant_write_conflicts.")
        || name.startsWith("tenant_purge.");
  }

  private static Optional<Double> number(Gauge<?> gauge) {
    Object value;
    try {
      value = gauge.getValue();
    } catch (RuntimeException e) {
      // A gauge that reads the database (the outbox depth) fails while it is down; the scrape
      // still answers, without it.
      return Optional.empty();
    }
    if (value instanceof Number number) {
      return Optional.of(number.doubleValue());
    }
    if (value instanceof Boolean bool) {
      return Optional.of(bool ? 1.0 : 0.0);
    }
    return Optional.empty();
  }

  /** The families of one scrape, each with its data points, in the order first seen. */
  private static final class Families {
    private final Map<String, Family> byName = new LinkedHashMap<>();

    void counter(String name, long count) {
      add(name, Kind.COUNTER, s -> CounterDataPointSnapshot.builder().value(count));
    }

    void gauge(String name, double value) {
      add(name, Kind.GAUGE, s -> GaugeDataPointSnapshot.builder().value(value));
    }

    Consumer<Double> gauge(String name) {
      return value -> gauge(name, value);
    }

    void timer(String name, Timer timer) {
      Double sumNanos = timer instanceof SummingTimer summing ? (double) summing.sumNanos() : null;
      summary(name, Kind.TIMER, timer.getCount(), timer.getSnapshot(), sumNanos);
    }

    void histogram(String name, Histogram histogram) {
      summary(name, Kind.HISTOGRAM, histogram.getCount(), histogram.getSnapshot(), null);
    }

    private void summary(String name, Kind kind, long count, Snapshot values, Double sum) {
      add(
          name,
          kind,
          series -> {
            List<Quantile> quantiles = new ArrayList<>();
            for (double q : QUANTILES) {
              quantiles.add(new Quantile(q, values.getValue(q) * series.toSeconds()));
            }
            SummaryDataPointSnapshot.Builder point =
                SummaryDataPointSnapshot.builder().count(count).quantiles(Quantiles.of(quantiles));
            if (sum != null) {
              point.sum(sum * series.toSeconds());
            }
            return point;
          });
    }

    private void add(
        String name, Kind kind, Function<PrometheusSeries, DataPointSnapshot.Builder<?>> point) {
      PrometheusSeries.of(name, kind)
          .ifPresent(
              series -> {
                Family family =
                    byName.computeIfAbsent(series.family(), f -> new Family(series, kind));
                if (family.kind == kind && family.labelNames.equals(series.labelNames())) {
                  family.points.add(
                      point
                          .apply(series)
                          .labels(Labels.of(series.labelNames(), series.labelValues())));
                }
              });
    }

    MetricSnapshots snapshots() {
      List<MetricSnapshot> snapshots = new ArrayList<>();
      byName.values().forEach(family -> snapshots.add(family.snapshot()));
      return new MetricSnapshots(snapshots);
    }
  }

  /** One metric family: its name, kind, help and data points. */
  private static final class Family {
    final String name;
    final String help;
    final Kind kind;
    final List<String> labelNames;
    final List<DataPointSnapshot.Builder<?>> points = new ArrayList<>();

    Family(PrometheusSeries series, Kind kind) {
      this.name = series.family();
      this.help = series.help();
      this.kind = kind;
      this.labelNames = series.labelNames();
    }

    MetricSnapshot snapshot() {
      switch (kind) {
        case COUNTER -> {
          CounterSnapshot.Builder counter = CounterSnapshot.builder().name(name).help(help);
          points.forEach(p -> counter.dataPoint(((CounterDataPointSnapshot.Builder) p).build()));
          return counter.build();
        }
        case GAUGE -> {
          GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
          points.forEach(p -> gauge.dataPoint(((GaugeDataPointSnapshot.Builder) p).build()));
          return gauge.build();
        }
        default -> {
          SummarySnapshot.Builder summary = SummarySnapshot.builder().name(name).help(help);
          points.forEach(p -> summary.dataPoint(((SummaryDataPointSnapshot.Builder) p).build()));
          return summary.build();
        }
      }
    }
  }
}
