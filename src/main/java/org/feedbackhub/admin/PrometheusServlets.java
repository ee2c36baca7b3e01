package org.feedbackhub.admin;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The Prometheus text endpoint of the admin port: the service's Dropwizard registry read through
 * {@link DropwizardCollector} and written by the Prometheus Java client's text format writer
 * (format 0.0.4: {@code # HELP}, {@code # TYPE}, counters with {@code _total}).
 */
public final class PrometheusServlets {
  public static final String PATH = "/prometheus";

  private PrometheusServlets() {}

  /**
   * A servlet over its own Prometheus registry (not the library's static default one), so two
   * applications in one JVM, as in tests, never share series.
   */
  public static HttpServlet metricsServlet(MetricRegistry metrics) {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new DropwizardCollector(metrics));
    return new TextServlet(registry, PrometheusTextFormatWriter.create());
  }

  /** Answers every GET with one scrape of the registry. */
  private static final class TextServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient PrometheusRegistry registry;
    private final transient PrometheusTextFormatWriter writer;

    TextServlet(PrometheusRegistry registry, PrometheusTextFormatWriter writer) {
      this.registry = registry;
      this.writer = writer;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setStatus(HttpServletResponse.SC_OK);
      response.setContentType(writer.getContentType());
      response.setHeader("Cache-Control", "no-cache");
      try (OutputStream out = response.getOutputStream()) {
        writer.write(out, registry.scrape());
      }
    }
  }
}
