package org.feedbackhub.http;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses a request target with a path parameter ({@code ;} anywhere in the raw path) with {@code
 * 400 bad_request} before any routing, on every port.
 *
 * @implNote No route uses path parameters, and the servlet layer and Jersey drop them when they
 *     route: {@code /v1;/feedback-records} was routed as {@code /v1/feedback-records} while a
 *     path-prefix key check saw {@code v1;/...}, and {@code DELETE /v1/tenants/mx;eu/data} purged
 *     tenant {@code mx}. An encoded {@code %3B} is not a parameter and stays a literal character.
 */
final class PathParameterRefusal extends Handler.Wrapper {
  PathParameterRefusal(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = request.getHttpURI().getPath();
    if (path != null && path.indexOf(';') >= 0) {
      Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400);
      return true;
    }
    return super.handle(request, response, callback);
  }
}
