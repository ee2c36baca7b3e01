package org.feedbackhub.admin;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.servlet.jakarta.exporter.MetricsServlet;

/**
 * The Prometheus text endpoint of the admin port: the service's Dropwizard registry through the
 * Prometheus bridge, with feedback-hub's own metrics renamed by {@link HubSampleBuilder}.
 */
public final class PrometheusServlets {
  public static final String PATH = "/prometheus";

  private PrometheusServlets() {}

  /**
   * A servlet over its own collector registry (not the library's static default one), so two
   * applications in one JVM, as in tests, never share series.
   */
  public static MetricsServlet metricsServlet(MetricRegistry metrics) {
    CollectorRegistry registry = new CollectorRegistry(true);
    registry.register(
        new DropwizardExports(
            metrics,
            (name, metric) -> !HubSampleBuilder.isDerivedTotal(name),
            new HubSampleBuilder()));
    return new MetricsServlet(registry);
  }
}
