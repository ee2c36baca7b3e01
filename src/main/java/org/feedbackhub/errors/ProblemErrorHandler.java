package org.feedbackhub.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.feedbackhub.api.Problem;
import org.feedbackhub.api.ProblemCode;
import org.feedbackhub.http.RequestIds;
import org.feedbackhub.http.UuidV7;

/**
 * Jetty's own error responses as problem+json instead of HTML: requests Jetty refuses before any
 * application code runs (bad percent-encoding or invalid UTF-8 in the target, huge or malformed
 * headers) and errors a servlet sends without a body. Installed on the server and on the
 * application context; its detail is the status's reason phrase, never Jetty's message, which may
 * quote the request.
 */
public final class ProblemErrorHandler extends ErrorHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException http) {
      status = http.getCode();
    }
    if (request.getAttribute(ERROR_STATUS) instanceof Integer code) {
      status = code;
    }
    if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
      // The client's mistake, and one a retry never fixes: Hub's client retries every 5xx.
      status = HttpStatus.BAD_REQUEST_400;
    }
    if (status < 400 || status > 599) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
    }
    String requestId = UuidV7.next().toString();
    response.setStatus(status);
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put(RequestIds.HEADER, requestId);
    String instance = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
    response.write(true, ByteBuffer.wrap(body(status, instance, requestId)), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    String requestId = UuidV7.next().toString();
    fields.put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    fields.put(HttpHeader.CACHE_CONTROL, "no-store");
    fields.put(RequestIds.HEADER, requestId);
    return ByteBuffer.wrap(body(status, null, requestId));
  }

  static byte[] body(int status, String instance, String requestId) {
    ProblemCode code = ProblemCode.forStatus(status);
    String reason = HttpStatus.getMessage(status);
    Problem problem =
        new Problem(
            ProblemCode.typeForStatus(status),
            reason,
            status,
            reason,
            instance,
            code.code(),
            requestId,
            null,
            null);
    try {
      return JSON.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Installs the handler on the server before it starts (the context gets it directly). */
  public static LifeCycle.Listener installer(ProblemErrorHandler handler) {
    return new LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(LifeCycle event) {
        if (event instanceof org.eclipse.jetty.server.Server server) {
          server.setErrorHandler(handler);
        }
      }
    };
  }
}
