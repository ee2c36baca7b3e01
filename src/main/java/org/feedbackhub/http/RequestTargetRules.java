package org.feedbackhub.http;

import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * What Jetty lets through to the application, on both ports, set before the server starts: the
 * request targets it accepts, no path parameters ({@link PathParameterRefusal}) and a deadline for
 * request bodies ({@link BodyReadDeadline}).
 *
 * @implNote Every valid tenant id must be addressable as {@code /v1/tenants/{id}/...}, so the
 *     encoded forms of {@code /}, {@code %} and {@code \} and of a NUL byte ({@code %2F}, {@code
 *     %25}, {@code %5C}, {@code %00}) are let through to the API context, which routes on the raw
 *     path and decodes each segment once (a NUL is then refused by validation, naming the
 *     parameter). Encoded dot segments, empty segments and path parameters stay refused. The admin
 *     context keeps the servlet default and refuses ambiguous encodings itself.
 */
public final class RequestTargetRules implements LifeCycle.Listener {
  private static final UriCompliance ACCEPTED =
      UriCompliance.DEFAULT.with(
          "feedback-hub",
          UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
          UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
          UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS,
          UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS);

  private final ServletContextHandler applicationContext;
  private final Duration bodyReadTimeout;

  public RequestTargetRules(ServletContextHandler applicationContext, Duration bodyReadTimeout) {
    this.applicationContext = applicationContext;
    this.bodyReadTimeout = bodyReadTimeout;
  }

  @Override
  public void lifeCycleStarting(LifeCycle event) {
    if (!(event instanceof Server server)) {
      return;
    }
    for (HttpConnectionFactory http : server.getContainedBeans(HttpConnectionFactory.class)) {
      http.getHttpConfiguration().setUriCompliance(ACCEPTED);
    }
    applicationContext.getServletHandler().setDecodeAmbiguousURIs(true);
    server.setHandler(
        new PathParameterRefusal(new BodyReadDeadline(server.getHandler(), bodyReadTimeout)));
  }
}
