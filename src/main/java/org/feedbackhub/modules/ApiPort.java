package org.feedbackhub.modules;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.jersey.errors.EofExceptionWriterInterceptor;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.feedbackhub.HubConfiguration;
import org.feedbackhub.api.JsonMapping;
import org.feedbackhub.errors.JsonProcessingExceptionMapper;
import org.feedbackhub.errors.ProblemErrorHandler;
import org.feedbackhub.errors.ProblemExceptionMapper;
import org.feedbackhub.errors.TenantWriteConflictMapper;
import org.feedbackhub.errors.UnexpectedExceptionMapper;
import org.feedbackhub.errors.WebApplicationExceptionMapper;
import org.feedbackhub.http.ApiKeyAuthFilter;
import org.feedbackhub.http.BodyLimitFeature;
import org.feedbackhub.http.CaseSensitiveHeaderCache;
import org.feedbackhub.http.RequestIds;
import org.feedbackhub.http.RequestTargetRules;
import org.feedbackhub.http.UnroutedRequestAuthFilter;

/**
 * The API port's rules every capability's resources share: the wire JSON, the request-target and
 * header rules, request ids, bearer authentication, body limits and the one problem mapping.
 */
public final class ApiPort {
  private ApiPort() {}

  /** Installs the rules; runs before any capability registers a resource. */
  public static void install(HubConfiguration configuration, Environment environment) {
    // The configuration is parsed by now: the strict wire rules apply to request bodies only.
    JsonMapping.configure(environment.getObjectMapper());
    environment.lifecycle().addEventListener(new CaseSensitiveHeaderCache());
    environment
        .lifecycle()
        .addEventListener(
            new RequestTargetRules(
                environment.getApplicationContext(),
                configuration.getRequestBodyTimeout().toJavaDuration()));
    ProblemErrorHandler errors = new ProblemErrorHandler();
    environment.getApplicationContext().setErrorHandler(errors);
    environment.lifecycle().addEventListener(ProblemErrorHandler.installer(errors));
    environment
        .servlets()
        .addFilter("request-id", new RequestIds())
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    var jersey = environment.jersey();
    ApiKeyAuthFilter auth =
        new ApiKeyAuthFilter(
            configuration.getApiKey(), configuration.getTaxonomy().getInternalApiToken());
    jersey.register(auth);
    jersey.register(new UnroutedRequestAuthFilter(auth));
    jersey.register(new BodyLimitFeature());
    jersey.register(new ProblemExceptionMapper());
    jersey.register(new TenantWriteConflictMapper());
    jersey.register(new WebApplicationExceptionMapper());
    jersey.register(new JsonProcessingExceptionMapper());
    jersey.register(new UnexpectedExceptionMapper());
    // A client that hangs up mid-response is not a server error: counted and logged at DEBUG.
    jersey.register(new EofExceptionWriterInterceptor(environment.metrics()));
  }
}
