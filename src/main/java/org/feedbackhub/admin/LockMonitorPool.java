package org.feedbackhub.admin;

import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.feedbackhub.db.DatabaseFactory;

/**
 * The pool settings of the lock monitor: at most two connections of its own, named {@value
 * #APPLICATION_NAME} in {@code pg_stat_activity}, each with its own {@code statement_timeout}.
 *
 * @implNote A separate pool, because the moment an operator needs the monitor is the moment the
 *     application's pool may be exhausted by requests waiting behind a purge. The timeout is a
 *     startup option of each session ({@code options=-c statement_timeout=...}), so no statement of
 *     the monitor, including the pool's validation query, can run without it; the socket timeout
 *     backs it up when the server stops answering altogether.
 */
public final class LockMonitorPool {
  public static final String APPLICATION_NAME = "feedback-hub-lock-monitor";

  private LockMonitorPool() {}

  /**
   * @param application the application pool's settings, for the address and credentials
   */
  public static DataSourceFactory settings(DataSourceFactory application, AdminSettings admin) {
    int statementTimeoutMs = admin.getMonitorStatementTimeoutMs();
    int connectTimeout = admin.getMonitorConnectTimeoutSeconds();
    DataSourceFactory pool = new DataSourceFactory();
    pool.setDriverClass(application.getDriverClass());
    pool.setUrl(application.getUrl());
    pool.setUser(application.getUser());
    pool.setPassword(application.getPassword());
    Map<String, String> properties = new LinkedHashMap<>(application.getProperties());
    properties.put("ApplicationName", APPLICATION_NAME);
    properties.put("connectTimeout", Integer.toString(connectTimeout));
    properties.put("loginTimeout", Integer.toString(connectTimeout));
    properties.put("socketTimeout", Integer.toString(statementTimeoutMs / 1000 + 5));
    properties.put("options", "-c statement_timeout=" + statementTimeoutMs);
    pool.setProperties(properties);
    pool.setMinSize(0);
    pool.setInitialSize(0);
    pool.setMaxSize(2);
    pool.setMaxWaitForConnection(Duration.seconds(connectTimeout));
    pool.setValidationQuery("/* feedback-hub lock monitor check */ SELECT 1");
    pool.setValidationQueryTimeout(Duration.seconds(connectTimeout));
    pool.setCheckConnectionOnBorrow(true);
    pool.setValidationInterval(DatabaseFactory.VALIDATION_INTERVAL);
    pool.setRollbackOnReturn(true);
    pool.setAutoCommitByDefault(true);
    return pool;
  }
}
