package org.feedbackhub.admin;

import java.time.Duration;
import org.feedbackhub.db.HikariPoolFactory;

/**
 * The pool settings of the lock monitor: at most two connections of its own, named {@value
 * #APPLICATION_NAME} in {@code pg_stat_activity}, each with its own {@code statement_timeout}.
 *
 * @implNote A separate pool, because the moment an operator needs the monitor is the moment the
 *     application's pool may be exhausted by requests waiting behind a purge. The timeout is a
 *     startup option of each session ({@code options=-c statement_timeout=...}), so no statement of
 *     the monitor, including the pool's validation check, can run without it; the socket timeout
 *     backs it up when the server stops answering altogether. It keeps no idle connection and no
 *     keep-alive: an operator's poll opens what it needs.
 */
public final class LockMonitorPool {
  public static final String APPLICATION_NAME = "feedback-hub-lock-monitor";

  private LockMonitorPool() {}

  /**
   * @param application the application pool's settings, for the address and credentials
   */
  public static HikariPoolFactory settings(HikariPoolFactory application, AdminSettings admin) {
    int statementTimeoutMs = admin.getMonitorStatementTimeoutMs();
    int connectTimeout = admin.getMonitorConnectTimeoutSeconds();
    return application
        .copy()
        .property("ApplicationName", APPLICATION_NAME)
        .property("connectTimeout", Integer.toString(connectTimeout))
        .property("loginTimeout", Integer.toString(connectTimeout))
        .property("socketTimeout", Integer.toString(statementTimeoutMs / 1000 + 5))
        .property("options", "-c statement_timeout=" + statementTimeoutMs)
        .minIdle(0)
        .maxSize(2)
        .keepalive(Duration.ZERO)
        .connectionTimeout(Duration.ofSeconds(connectTimeout))
        .validationQuery("/* feedback-hub lock monitor check */ SELECT 1");
  }
}
