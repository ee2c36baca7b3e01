package org.feedbackhub.resources;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.feedbackhub.http.PublicEndpoint;

/** {@code GET /health}: liveness for load balancers, without authentication. */
@Path("/health")
@Hidden
@PublicEndpoint
public class HealthResource {
  @GET
  @Produces(MediaType.TEXT_PLAIN)
  public String health() {
    return "OK";
  }
}
