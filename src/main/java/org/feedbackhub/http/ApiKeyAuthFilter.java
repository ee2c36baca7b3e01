package org.feedbackhub.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.lang.reflect.Method;
import org.feedbackhub.api.ProblemException;

/**
 * Authenticates every request by the resource Jersey matched, not by its path: a resource marked
 * {@link PublicEndpoint} needs nothing, one marked {@link InternalApi} the internal API's token,
 * and every other resource (a new one included) the API key.
 *
 * @implNote Runs after matching, so it judges exactly what is about to run: a path Jersey routes
 *     differently from how it reads (matrix parameters, encodings, dot segments) cannot slip past
 *     it as {@code /v1;/...} slipped past the old path-prefix check. A request with no matched
 *     resource class (none is known today) is treated as an API resource: closed, not open.
 */
@Priority(Priorities.AUTHENTICATION)
public final class ApiKeyAuthFilter implements ContainerRequestFilter {
  private final BearerToken apiKey;
  private final BearerToken internalToken;

  @Context private ResourceInfo resource;

  /**
   * @param apiKey the API key; must not be blank
   * @param internalToken the internal API's token, or blank when the internal API is off
   */
  public ApiKeyAuthFilter(String apiKey, String internalToken) {
    this.apiKey = new BearerToken(apiKey);
    this.internalToken =
        internalToken == null || internalToken.isBlank() ? null : new BearerToken(internalToken);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Class<?> type = resource == null ? null : resource.getResourceClass();
    Method method = resource == null ? null : resource.getResourceMethod();
    if (isPublic(type, method)) {
      return;
    }
    BearerToken required = apiKey;
    if (type != null && type.isAnnotationPresent(InternalApi.class)) {
      if (internalToken == null) {
        throw ProblemException.unauthorized("Invalid API key");
      }
      required = internalToken;
    }
    String refusal = required.refusal(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (refusal != null) {
      throw ProblemException.unauthorized(refusal);
    }
  }

  private static boolean isPublic(Class<?> type, Method method) {
    return (type != null && type.isAnnotationPresent(PublicEndpoint.class))
        || (method != null && method.isAnnotationPresent(PublicEndpoint.class));
  }

  /** Whether {@code header} presents either credential: enough to learn which routes exist. */
  boolean presentsAnyCredential(String header) {
    return apiKey.accepts(header) || (internalToken != null && internalToken.accepts(header));
  }

  /** The 401 detail for a request that presents no credential. */
  String refusal(String header) {
    return apiKey.refusal(header);
  }
}
