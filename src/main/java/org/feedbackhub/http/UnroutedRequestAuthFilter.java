package org.feedbackhub.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.PathSegment;
import java.util.Set;
import java.util.stream.Collectors;
import org.feedbackhub.api.ProblemException;

/**
 * Before routing: a request for anything but a public path must present a credential (the API key
 * or the internal token), so a client without one learns nothing from 404 versus 405 about which
 * routes exist. The decision that matters is {@link ApiKeyAuthFilter}'s, after matching; this one
 * only answers earlier and more uniformly.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class UnroutedRequestAuthFilter implements ContainerRequestFilter {
  /** The paths of the {@link PublicEndpoint} resources, as Jersey routes them. */
  private static final Set<String> PUBLIC_PATHS = Set.of("health", "openapi.json", "openapi.yaml");

  private final ApiKeyAuthFilter credentials;

  public UnroutedRequestAuthFilter(ApiKeyAuthFilter credentials) {
    this.credentials = credentials;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String routed =
        request.getUriInfo().getPathSegments().stream()
            .map(PathSegment::getPath)
            .filter(segment -> !segment.isEmpty())
            .collect(Collectors.joining("/"));
    if (PUBLIC_PATHS.contains(routed)) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (!credentials.presentsAnyCredential(header)) {
      throw ProblemException.unauthorized(credentials.refusal(header));
    }
  }
}
