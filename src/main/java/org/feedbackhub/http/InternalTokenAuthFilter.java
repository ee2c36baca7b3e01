package org.feedbackhub.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * The internal API's bearer check ({@code HUB_INTERNAL_API_TOKEN}): the same rules as the API key,
 * in its own class because Jersey keeps only one registered instance per provider class.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class InternalTokenAuthFilter implements ContainerRequestFilter {
  private final ApiKeyAuthFilter delegate;

  public InternalTokenAuthFilter(String pathPrefix, String token) {
    this.delegate = new ApiKeyAuthFilter(pathPrefix, token);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    delegate.filter(request);
  }
}
