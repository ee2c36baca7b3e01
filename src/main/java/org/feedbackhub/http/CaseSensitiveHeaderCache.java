package org.feedbackhub.http;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Makes Jetty's per-connection header cache compare values case-sensitively on every connector,
 * before the server accepts its first connection.
 *
 * @implNote Jetty reuses a header field it parsed earlier on the same connection when the new value
 *     matches it ignoring case, so after {@code Authorization: Bearer KEY} a later {@code Bearer
 *     key} on that connection reached the application as {@code Bearer KEY}. Through a proxy that
 *     pools upstream connections, one client's request could so borrow another client's key in a
 *     different case; the same goes for {@code X-Request-ID} and every other header value. The
 *     factories are looked up as contained beans because Dropwizard wraps them for metrics.
 */
public final class CaseSensitiveHeaderCache implements LifeCycle.Listener {
  @Override
  public void lifeCycleStarting(LifeCycle event) {
    if (event instanceof Server server) {
      int configured = 0;
      for (HttpConnectionFactory http : server.getContainedBeans(HttpConnectionFactory.class)) {
        http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
        configured++;
      }
      if (configured == 0) {
        throw new IllegalStateException("no HTTP connector found to configure");
      }
    }
  }
}
