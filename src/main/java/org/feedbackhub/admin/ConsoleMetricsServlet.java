package org.feedbackhub.admin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.core.RecordsPurgeService;
import org.feedbackhub.core.TenantPurgeService;
import org.feedbackhub.db.RecordsPurgeHistoryDao;
import org.feedbackhub.db.RecordsPurgeRow;
import org.feedbackhub.db.TenantPurgeHistoryDao;
import org.feedbackhub.tenant.TenantConflictMetrics;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * {@code GET /console/metrics}: the console's numbers in one read: tenant write conflicts by
 * direction and operation, purge outcomes and timers, API write requests, the last purges, and the
 * records-only purges (counters, and the last ones with their progress: an active one's {@code
 * records_left} counts the tenant's records still at or below its mark). Totals only; the page
 * turns them into rates per poll interval.
 */
public final class ConsoleMetricsServlet extends HttpServlet {
  public static final String PATH = "/console/metrics";

  /** Dropwizard's request timers of the API port, one per write method. */
  private static final List<String> WRITE_TIMER_SUFFIXES =
      List.of(".post-requests", ".put-requests", ".patch-requests", ".delete-requests");

  private static final String CONFLICT_PREFIX = TenantConflictMetrics.PREFIX + ".";

  private final transient MetricRegistry metrics;
  private final transient Jdbi historyJdbi;
  private final transient AdminResponses responses;
  private final int historyLimit;

  /**
   * @param historyJdbi the monitor's pool, so the history still loads while the application pool is
   *     exhausted
   */
  public ConsoleMetricsServlet(
      MetricRegistry metrics, Jdbi historyJdbi, AdminResponses responses, int historyLimit) {
    this.metrics = metrics;
    this.historyJdbi = historyJdbi;
    this.responses = responses;
    this.historyLimit = historyLimit;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", Instant.now().toString());
    body.put("tenant_write_conflicts", conflicts());
    body.put("purges", purges());
    body.put("writes", writes());
    try {
      List<Object> history = new ArrayList<>();
      for (String row :
          historyJdbi.withExtension(
              TenantPurgeHistoryDao.class, dao -> dao.recentAsJson(historyLimit))) {
        history.add(responses.mapper().readTree(row));
      }
      body.put("history", history);
    } catch (JdbiException e) {
      body.put("history", null);
      body.put("history_error", "the purge history could not be read from the database");
    }
    body.put("records_purges", recordsPurges());
    responses.write(response, HttpServletResponse.SC_OK, body);
  }

  private Map<String, Object> recordsPurges() throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (String outcome : List.of(RecordsPurgeRow.COMPLETED, RecordsPurgeRow.FAILED)) {
      outcomes.put(outcome, metrics.counter(RecordsPurgeService.outcomeMetric(outcome)).getCount());
    }
    out.put("outcomes", outcomes);
    out.put("batches", metrics.counter(RecordsPurgeService.BATCHES).getCount());
    out.put("batches_refused", metrics.counter(RecordsPurgeService.BATCHES_REFUSED).getCount());
    out.put("records_deleted", metrics.counter(RecordsPurgeService.RECORDS_DELETED).getCount());
    out.put("batch_lock_wait", timer(metrics.getTimers().get(RecordsPurgeService.BATCH_LOCK_WAIT)));
    try {
      List<Object> history = new ArrayList<>();
      for (String row :
          historyJdbi.withExtension(
              RecordsPurgeHistoryDao.class, dao -> dao.recentAsJson(historyLimit))) {
        history.add(responses.mapper().readTree(row));
      }
      out.put("history", history);
    } catch (JdbiException e) {
      out.put("history", null);
      out.put(
          "history_error", "the records-only purge history could not be read from the database");
    }
    return out;
  }

  private Map<String, Object> conflicts() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Long> byDirection = new LinkedHashMap<>();
    List<Map<String, Object>> byOperation = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Counter> e : metrics.getCounters().entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(CONFLICT_PREFIX)) {
        continue;
      }
      String rest = name.substring(CONFLICT_PREFIX.length());
      long count = e.getValue().getCount();
      int dot = rest.indexOf('.');
      if (dot < 0) {
        total = "total".equals(rest) ? count : total;
      } else if (rest.endsWith(".total") && rest.indexOf('.', dot + 1) < 0) {
        byDirection.put(rest.substring(0, dot), count);
      } else {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("direction", rest.substring(0, dot));
        row.put("operation", rest.substring(dot + 1));
        row.put("count", count);
        byOperation.add(row);
      }
    }
    out.put("total", total);
    out.put("by_direction", byDirection);
    out.put("by_operation", byOperation);
    return out;
  }

  private Map<String, Object> purges() {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (String outcome : List.of("ok", "timed_out", "failed")) {
      outcomes.put(outcome, metrics.counter(TenantPurgeService.outcomeMetric(outcome)).getCount());
    }
    out.put("outcomes", outcomes);
    out.put("lock_wait", timer(metrics.getTimers().get("tenant_purge.lock_wait")));
    out.put("duration", timer(metrics.getTimers().get("tenant_purge.duration")));
    return out;
  }

  private Map<String, Object> writes() {
    long count = 0;
    double perSecond = 0;
    for (Map.Entry<String, Timer> e : metrics.getTimers().entrySet()) {
      if (WRITE_TIMER_SUFFIXES.stream().anyMatch(e.getKey()::endsWith)) {
        count += e.getValue().getCount();
        perSecond += e.getValue().getOneMinuteRate();
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("total", count);
    out.put("per_second_1m", perSecond);
    return out;
  }

  private static Map<String, Object> timer(Timer timer) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (timer == null) {
      out.put("count", 0);
      return out;
    }
    Snapshot s = timer.getSnapshot();
    out.put("count", timer.getCount());
    out.put("p50_ms", millis(s.getMedian()));
    out.put("p99_ms", millis(s.get99thPercentile()));
    out.put("max_ms", millis(s.getMax()));
    return out;
  }

  private static double millis(double nanos) {
    return Math.round(nanos / TimeUnit.MILLISECONDS.toNanos(1) * 10) / 10.0;
  }
}
