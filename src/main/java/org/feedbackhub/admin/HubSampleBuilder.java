package org.feedbackhub.admin;

import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.samplebuilder.DefaultSampleBuilder;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import java.util.ArrayList;
import java.util.List;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.tenant.TenantConflictMetrics;

/**
 * Names feedback-hub's dotted Dropwizard metrics the Prometheus way, with labels: {@code
 * tenant_write_conflicts.<direction>.<operation>} becomes {@code
 * hub_tenant_write_conflicts_total{direction,operation}}, {@code tenant_purge.outcome.<outcome>}
 * becomes {@code hub_tenant_purges_total{outcome}}, the purge timers become {@code
 * hub_tenant_purge_duration_seconds} and {@code hub_tenant_purge_lock_wait_seconds}. Everything
 * else keeps the bridge's default name.
 *
 * @implNote An operation name has dots of its own ({@code feedback_record.update}), so the mapping
 *     splits on the first dot after the prefix only, which the bridge's glob mapper cannot do. The
 *     conflict totals per direction and overall are left out: they are sums of the labelled series,
 *     and exporting them too would double-count in any {@code sum()}.
 */
final class HubSampleBuilder implements SampleBuilder {
  private static final String CONFLICTS = TenantConflictMetrics.PREFIX + ".";
  private static final String OUTCOME =
      TenantPurgeService.outcomeMetric("ok").replaceAll("ok$", "");

  private final SampleBuilder fallback = new DefaultSampleBuilder();

  /** True for the derived totals left out of the export. */
  static boolean isDerivedTotal(String dropwizardName) {
    if (!dropwizardName.startsWith(CONFLICTS)) {
      return false;
    }
    String rest = dropwizardName.substring(CONFLICTS.length());
    return rest.equals("total")
        || (rest.endsWith(".total") && rest.indexOf('.') == rest.lastIndexOf('.'));
  }

  @Override
  public Collector.MetricFamilySamples.Sample createSample(
      String dropwizardName,
      String nameSuffix,
      List<String> additionalLabelNames,
      List<String> additionalLabelValues,
      double value) {
    String suffix = nameSuffix == null ? "" : nameSuffix;
    if (dropwizardName.startsWith(CONFLICTS)) {
      String rest = dropwizardName.substring(CONFLICTS.length());
      int dot = rest.indexOf('.');
      return sample(
          "hub_tenant_write_conflicts_total",
          List.of("direction", "operation"),
          List.of(rest.substring(0, dot), rest.substring(dot + 1)),
          additionalLabelNames,
          additionalLabelValues,
          value);
    }
    if (dropwizardName.startsWith(OUTCOME)) {
      return sample(
          "hub_tenant_purges_total",
          List.of("outcome"),
          List.of(dropwizardName.substring(OUTCOME.length())),
          additionalLabelNames,
          additionalLabelValues,
          value);
    }
    if (dropwizardName.equals("tenant_purge.duration")) {
      return sample(
          "hub_tenant_purge_duration_seconds" + suffix,
          List.of(),
          List.of(),
          additionalLabelNames,
          additionalLabelValues,
          value);
    }
    if (dropwizardName.equals("tenant_purge.lock_wait")) {
      return sample(
          "hub_tenant_purge_lock_wait_seconds" + suffix,
          List.of(),
          List.of(),
          additionalLabelNames,
          additionalLabelValues,
          value);
    }
    return fallback.createSample(
        dropwizardName, nameSuffix, additionalLabelNames, additionalLabelValues, value);
  }

  private static Collector.MetricFamilySamples.Sample sample(
      String name,
      List<String> labelNames,
      List<String> labelValues,
      List<String> extraNames,
      List<String> extraValues,
      double value) {
    List<String> names = new ArrayList<>(labelNames);
    List<String> values = new ArrayList<>(labelValues);
    if (extraNames != null) {
      names.addAll(extraNames);
      values.addAll(extraValues);
    }
    return new Collector.MetricFamilySamples.Sample(name, names, values, value);
  }
}
