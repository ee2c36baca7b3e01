package org.feedbackhub.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.tenant.TenantConflictMetrics;

/**
 * Where one Dropwizard metric goes in the Prometheus exposition: its family name (without the
 * {@code _total} a counter gets from the writer), label names and values, help text, and the factor
 * from the metric's recorded unit to seconds for durations.
 *
 * <p>feedback-hub's own metrics get Formbricks Hub's names and labels ({@code
 * hub_webhook_deliveries_total{event_type,status}}, {@code hub_embedding_outcomes_total{status}},
 * ...) and the tenant lock's get {@code hub_tenant_write_conflicts_total{direction,operation}},
 * {@code hub_tenant_purges_total{outcome}} and the purge durations; HikariCP's pool metrics get
 * Hikari's own Prometheus names with a {@code pool} label. Everything else keeps its Dropwizard
 * name in snake case.
 *
 * @param family the metric family's name
 * @param labelNames the labels, in order
 * @param labelValues the values, in the order of {@code labelNames}
 * @param help the {@code # HELP} text
 * @param toSeconds the factor from recorded values to seconds (1 when no duration)
 */
record PrometheusSeries(
    String family,
    List<String> labelNames,
    List<String> labelValues,
    String help,
    double toSeconds) {
  private static final Pattern HIKARI = Pattern.compile("([^.]+)\\.pool\\.([A-Za-z]+)");

  /** A family of labelled hub series: Dropwizard name {@code <prefix>.<label value>...}. */
  private record Labelled(
      String prefix, String family, List<String> labels, int dotted, String help) {
    /**
     * The label values of {@code rest}: one segment each, except the label at {@code dotted}, which
     * takes the segments left over (an event type or an operation has dots of its own).
     */
    Optional<List<String>> values(String rest) {
      String[] segments = rest.split("\\.", -1);
      if (segments.length < labels.size()) {
        return Optional.empty();
      }
      List<String> values = new ArrayList<>();
      int after = labels.size() - 1 - dotted;
      for (int i = 0; i < dotted; i++) {
        values.add(segments[i]);
      }
      values.add(String.join(".", List.of(segments).subList(dotted, segments.length - after)));
      for (int i = segments.length - after; i < segments.length; i++) {
        values.add(segments[i]);
      }
      return Optional.of(values);
    }
  }

  private static final List<Labelled> LABELLED =
      List.of(
          new Labelled(
              TenantConflictMetrics.PREFIX,
              "hub_tenant_write_conflicts",
              List.of("direction", "operation"),
              1,
              "Tenant write conflicts (409 tenant_write_conflict) by direction and operation; not"
                  + " PostgreSQL's recovery conflicts."),
          new Labelled(
              TenantPurgeService.outcomeMetric("x").replaceAll("\\.x$", ""),
              "hub_tenant_purges",
              List.of("outcome"),
              0,
              "Tenant data purges by outcome."),
          new Labelled(
              "hub_webhook_deliveries_total",
              "hub_webhook_deliveries",
              List.of("event_type", "status"),
              0,
              "Webhook delivery attempts by event type and status (success, retry, failed_final)."),
          new Labelled(
              "hub_webhook_disabled_total",
              "hub_webhook_disabled",
              List.of("reason"),
              0,
              "Webhooks disabled by the delivery worker, by reason."),
          new Labelled(
              "hub_webhook_dispatch_errors_total",
              "hub_webhook_dispatch_errors",
              List.of("reason"),
              0,
              "Webhook jobs dropped before sending, by reason."),
          new Labelled(
              "hub_outbox_depth",
              "hub_outbox_depth",
              List.of("topic"),
              0,
              "Outbox rows not yet handled, by topic."),
          new Labelled(
              "hub_outbox_oldest_age_seconds",
              "hub_outbox_oldest_age_seconds",
              List.of("topic"),
              0,
              "Age of the oldest outbox row not yet handled, by topic."),
          new Labelled(
              "hub_embedding_outcomes_total",
              "hub_embedding_outcomes",
              List.of("status"),
              0,
              "Embedding job attempts by outcome."),
          new Labelled(
              "hub_embedding_worker_errors_total",
              "hub_embedding_worker_errors",
              List.of("reason"),
              0,
              "Embedding worker errors by reason."),
          new Labelled(
              "hub_embedding_duration_seconds",
              "hub_embedding_duration_seconds",
              List.of("status"),
              0,
              "Duration of embedding job attempts by outcome."));

  private static final Map<String, String> SINGLE =
      Map.of(
          "tenant_purge.duration",
          "hub_tenant_purge_duration_seconds",
          "tenant_purge.lock_wait",
          "hub_tenant_purge_lock_wait_seconds",
          TenantPurgeService.PAUSED_BATCHES,
          "hub_tenant_purge_paused_batches");

  private static final Map<String, String> HELP =
      Map.of(
          "hub_tenant_purge_duration_seconds", "Duration of tenant data purges.",
          "hub_tenant_purge_lock_wait_seconds",
              "How long tenant purges waited for the tenant's exclusive write lock.",
          "hub_tenant_purge_paused_batches",
              "Record batches after which a purge paused to yield to other sessions.",
          "hub_webhook_delivery_duration_seconds", "Duration of webhook delivery attempts.",
          "hub_webhook_deliveries_pending", "Webhook deliveries waiting for an attempt.",
          "hub_embedding_provider_errors", "Failed calls to the embedding provider.",
          "hub_embedding_search_cached_vectors", "Vectors held in the semantic-search cache.",
          "hub_semantic_search_embed_seconds", "Time to embed a semantic-search query.",
          "hub_semantic_search_rank_seconds", "Time to rank a tenant's vectors for a search.");

  /** What a Dropwizard metric is, as far as naming goes. */
  enum Kind {
    COUNTER,
    GAUGE,
    TIMER,
    HISTOGRAM
  }

  /**
   * The series of {@code name}, or empty for one left out: the conflict totals per direction and
   * overall are sums of the labelled series, and exporting them too would double-count in any
   * {@code sum()}.
   */
  static Optional<PrometheusSeries> of(String name, Kind kind) {
    for (Labelled labelled : LABELLED) {
      if (name.startsWith(labelled.prefix() + ".")) {
        String rest = name.substring(labelled.prefix().length() + 1);
        if (labelled.prefix().equals(TenantConflictMetrics.PREFIX) && isDerivedTotal(rest)) {
          return Optional.empty();
        }
        return labelled
            .values(rest)
            .map(
                values ->
                    new PrometheusSeries(
                        labelled.family(),
                        labelled.labels(),
                        values,
                        labelled.help(),
                        kind == Kind.TIMER ? 1e-9 : 1));
      }
    }
    Matcher hikari = HIKARI.matcher(name);
    if (hikari.matches()) {
      Optional<PrometheusSeries> pool = hikari(hikari.group(1), hikari.group(2));
      if (pool.isPresent()) {
        return pool;
      }
    }
    String family = SINGLE.getOrDefault(name, snakeCase(name));
    if (kind == Kind.TIMER && !family.endsWith("_seconds")) {
      family += "_seconds";
    }
    if (kind == Kind.COUNTER) {
      family = family.replaceAll("_total$", "");
    }
    if (kind == Kind.GAUGE) {
      // _count, _sum and _total are reserved for summaries, histograms and counters.
      family = family.replaceAll("_(count|sum|total|bucket)$", "");
    }
    String help =
        HELP.getOrDefault(
            family,
            "Dropwizard "
                + kind.name().toLowerCase(Locale.ROOT)
                + " "
                + name
                + (kind == Kind.TIMER ? ", in seconds." : "."));
    return Optional.of(
        new PrometheusSeries(family, List.of(), List.of(), help, kind == Kind.TIMER ? 1e-9 : 1));
  }

  private static boolean isDerivedTotal(String rest) {
    return rest.equals("total")
        || (rest.endsWith(".total") && rest.indexOf('.') == rest.lastIndexOf('.'));
  }

  /** HikariCP's Dropwizard metric {@code <pool>.pool.<metric>} under Hikari's Prometheus name. */
  private static Optional<PrometheusSeries> hikari(String pool, String metric) {
    String family;
    String help;
    double toSeconds = 1;
    switch (metric) {
      case "TotalConnections" -> {
        family = "hikaricp_connections";
        help = "Connections of the pool, in use or idle.";
      }
      case "ActiveConnections" -> {
        family = "hikaricp_connections_active";
        help = "Connections of the pool in use.";
      }
      case "IdleConnections" -> {
        family = "hikaricp_connections_idle";
        help = "Idle connections of the pool.";
      }
      case "PendingConnections" -> {
        family = "hikaricp_connections_pending";
        help = "Threads waiting for a connection of the pool.";
      }
      case "MaxConnections" -> {
        family = "hikaricp_connections_max";
        help = "The pool's maximum size.";
      }
      case "MinConnections" -> {
        family = "hikaricp_connections_min";
        help = "The pool's minimum idle connections.";
      }
      case "ConnectionTimeoutRate" -> {
        family = "hikaricp_connections_timeout";
        help = "Borrows that timed out waiting for a connection.";
      }
      case "Wait" -> {
        family = "hikaricp_connections_acquire_seconds";
        help = "Time to borrow a connection from the pool.";
        toSeconds = 1e-9;
      }
      case "Usage" -> {
        family = "hikaricp_connections_usage_seconds";
        help = "Time a borrowed connection was in use.";
        toSeconds = 1e-3;
      }
      case "ConnectionCreation" -> {
        family = "hikaricp_connections_creation_seconds";
        help = "Time to open a new connection.";
        toSeconds = 1e-3;
      }
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(
        new PrometheusSeries(family, List.of("pool"), List.of(pool), help, toSeconds));
  }

  /** {@code io.dropwizard.jetty.MutableServletContextHandler.2xx-responses} in snake case. */
  static String snakeCase(String dropwizardName) {
    String snake =
        dropwizardName
            .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
            .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]+", "_")
            .replaceAll("_+", "_")
            .replaceAll("^_|_$", "");
    return snake.isEmpty() || Character.isDigit(snake.charAt(0)) ? "_" + snake : snake;
  }
}
