package org.feedbackhub.http;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.feedbackhub.api.ProblemException;

/**
 * Enforces {@link BodyLimit} on every resource method (the default cap where a method names none):
 * the declared {@code Content-Length} is checked first, then the body is read up to the cap, so no
 * oversized body reaches the JSON parser.
 */
public final class BodyLimitFeature implements DynamicFeature {
  @Override
  public void configure(ResourceInfo resourceInfo, FeatureContext context) {
    BodyLimit limit = resourceInfo.getResourceMethod().getAnnotation(BodyLimit.class);
    context.register(new Interceptor(limit == null ? BodyLimit.DEFAULT : limit.value()));
  }

  /** Over-cap bodies up to this many times the cap are drained before the 413. */
  private static final long DRAIN_FACTOR = 4;

  private static final class Interceptor implements ReaderInterceptor {
    private final long maxBytes;

    Interceptor(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
      long declared = declaredLength(context.getHeaders().getFirst("Content-Length"));
      if (declared > maxBytes) {
        // A client still sending would see its connection reset by an early answer: a body up to
        // a few times the cap is read and dropped so the 413 arrives cleanly and the connection
        // stays usable; beyond that the connection is closed rather than read.
        if (declared <= DRAIN_FACTOR * maxBytes) {
          try {
            context.getInputStream().transferTo(OutputStream.nullOutputStream());
          } catch (IOException unreadable) {
            throw ProblemException.contentTooLarge();
          }
          throw ProblemException.contentTooLarge(false);
        }
        throw ProblemException.contentTooLarge();
      }
      context.setInputStream(
          new ByteArrayInputStream(readCapped(context.getInputStream(), declared)));
      return context.proceed();
    }

    private static long declaredLength(String header) {
      if (header == null) {
        return -1;
      }
      try {
        return Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        return -1; // the server rejects malformed lengths itself
      }
    }

    /**
     * Reads the body: exactly its declared length when there is one (the server holds the client to
     * it), else up to one byte past the cap.
     *
     * @implNote A body the server cannot read (a bad chunk size, a connection closed mid-body) is
     *     the client's fault: 400, not the 500 the unexpected-error mapper would give it; so is a
     *     body declared {@code Content-Encoding: gzip} that is not gzip. Reading the declared
     *     length allocates the body once; reading up to the cap would allocate an 8 KiB buffer per
     *     request and copy it.
     */
    private byte[] readCapped(InputStream in, long declared) {
      byte[] body;
      try {
        body =
            in.readNBytes(
                (int) (declared >= 0 ? declared : Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)));
      } catch (IOException e) {
        throw ProblemException.badRequest("Invalid request body: it could not be read");
      } catch (RuntimeException e) {
        // Jetty's request inflater throws an unchecked wrapper of ZipException for a body declared
        // gzip that is not: the client's mistake too.
        if (e.getCause() instanceof IOException) {
          throw ProblemException.badRequest("Invalid request body: it could not be read");
        }
        throw e;
      }
      if (body.length > maxBytes) {
        throw ProblemException.contentTooLarge();
      }
      return body;
    }
  }
}
