package org.feedbackhub.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Bounds the time a request body may take to arrive, on every port: once the deadline passes, the
 * body's reads fail, the application answers the unreadable body with a 400 and the thread is free
 * again.
 *
 * @implNote Jetty's idle timeout restarts with every byte, so a client dripping one byte a second
 *     held a server thread for as long as it liked (73 s were seen); Jetty 12 no longer enforces a
 *     minimum request data rate. The deadline is armed only for requests that declare a body and
 *     disarmed when its last chunk is read or the exchange ends.
 */
final class BodyReadDeadline extends Handler.Wrapper {
  private final long timeoutMillis;

  BodyReadDeadline(Handler next, Duration timeout) {
    super(next);
    this.timeoutMillis = timeout.toMillis();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!declaresBody(request)) {
      return super.handle(request, response, callback);
    }
    Deadlined deadlined = new Deadlined(request);
    Scheduler.Task timer =
        request
            .getComponents()
            .getScheduler()
            .schedule(deadlined::expire, timeoutMillis, TimeUnit.MILLISECONDS);
    deadlined.timer = timer;
    return super.handle(deadlined, response, Callback.from(callback, deadlined::disarm));
  }

  private static boolean declaresBody(Request request) {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  /** The request whose reads fail after the deadline. */
  private static final class Deadlined extends Request.Wrapper {
    private final AtomicBoolean expired = new AtomicBoolean();
    private volatile Scheduler.Task timer;

    Deadlined(Request request) {
      super(request);
    }

    void expire() {
      if (expired.compareAndSet(false, true)) {
        fail(new TimeoutException("the request body did not arrive in time"));
      }
    }

    void disarm() {
      Scheduler.Task task = timer;
      if (task != null) {
        task.cancel();
      }
    }

    @Override
    public Content.Chunk read() {
      if (expired.get()) {
        return Content.Chunk.from(new TimeoutException("the request body did not arrive in time"));
      }
      Content.Chunk chunk = super.read();
      if (chunk != null && chunk.isLast()) {
        disarm();
      }
      return chunk;
    }
  }
}
