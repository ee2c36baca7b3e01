package org.feedbackhub.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.feedbackhub.Lazy;
import org.feedbackhub.http.PublicEndpoint;

/**
 * {@code GET /openapi.json} and {@code GET /openapi.yaml}: the API description generated from the
 * resource classes, with {@code servers} pointing at this instance. No authentication.
 *
 * @implNote The document is built once from an explicit set of classes, never by classpath
 *     scanning, so Jersey's {@code /application.wadl} and non-API routes stay out of it; per
 *     request only the {@code servers} member of a copy is replaced.
 */
@Path("/openapi.{format : json|yaml}")
@Hidden
@PublicEndpoint
public class OpenApiResource {
  public static final String TITLE = "feedback-hub";
  public static final String VERSION = "1.1.0";
  public static final String SECURITY_SCHEME = "ApiKeyAuth";
  public static final String SERVER_DESCRIPTION = "Current Hub instance";

  private static final MediaType YAML = new MediaType("application", "yaml");
  private static final CacheControl NO_STORE = CacheControl.valueOf("no-store");

  /** Built on the first request: reading every resource's annotations costs start-up time. */
  private final Lazy<ObjectNode> template;

  private final String publicBaseUrl;

  private OpenApiResource(Set<Class<?>> resourceClasses, String publicBaseUrl) {
    Set<Class<?>> described = Set.copyOf(resourceClasses);
    this.template = Lazy.of(() -> describe(described));
    this.publicBaseUrl = publicBaseUrl;
  }

  /**
   * The resource describing {@code resourceClasses}; a factory rather than a public constructor,
   * which Jersey would try to resolve as injectable.
   *
   * @param resourceClasses the JAX-RS resources to describe; classes marked {@code @Hidden} are
   *     left out
   * @param publicBaseUrl the externally visible base URL, or empty to derive it from each request
   */
  public static OpenApiResource describing(Set<Class<?>> resourceClasses, String publicBaseUrl) {
    return new OpenApiResource(
        resourceClasses, stripTrailingSlash(publicBaseUrl == null ? "" : publicBaseUrl.trim()));
  }

  @GET
  public Response openApi(@PathParam("format") String format, @Context UriInfo uriInfo)
      throws JsonProcessingException {
    ObjectNode document = template.get().deepCopy();
    ArrayNode servers = document.putArray("servers");
    servers
        .addObject()
        .put("url", publicBaseUrl.isEmpty() ? requestBaseUrl(uriInfo) : publicBaseUrl)
        .put("description", SERVER_DESCRIPTION);
    boolean yaml = "yaml".equals(format);
    String body =
        yaml
            ? Yaml.mapper().writeValueAsString(document)
            : Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document);
    return Response.ok(body, yaml ? YAML : MediaType.APPLICATION_JSON_TYPE)
        .cacheControl(NO_STORE)
        .header("X-Content-Type-Options", "nosniff")
        .build();
  }

  /** {@code scheme://host[:port]} plus the application's root path, as the client addressed us. */
  private static String requestBaseUrl(UriInfo uriInfo) {
    URI base = uriInfo.getBaseUri();
    String port = base.getPort() == -1 ? "" : ":" + base.getPort();
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    return stripTrailingSlash(base.getScheme() + "://" + base.getHost() + port + path);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static ObjectNode describe(Set<Class<?>> resourceClasses) {
    OpenAPI base =
        new OpenAPI()
            .info(new Info().title(TITLE).version(VERSION))
            // A placeholder keeps "servers" in its usual place; each response replaces it.
            .servers(List.of(new Server().url("/").description(SERVER_DESCRIPTION)))
            .components(
                new Components()
                    .addSecuritySchemes(
                        SECURITY_SCHEME,
                        new SecurityScheme()
                            .type(SecurityScheme.Type.HTTP)
                            .scheme("bearer")
                            .bearerFormat("API Key")))
            .addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME));
    Reader reader = new Reader(new SwaggerConfiguration().openAPI(base));
    OpenAPI model = reader.read(new LinkedHashSet<>(resourceClasses));
    // Sorted paths and schemas keep the document, and its golden copy, independent of class order.
    if (model.getPaths() != null) {
      Paths sorted = new Paths();
      new TreeMap<>(model.getPaths()).forEach(sorted::addPathItem);
      sorted.setExtensions(model.getPaths().getExtensions());
      model.setPaths(sorted);
    }
    explodeRepeatedQueryParameters(model);
    ObjectMapper mapper =
        Json.mapper().copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    return mapper.valueToTree(model);
  }

  /**
   * Marks every array-valued query parameter {@code explode: true} ({@code ?x=a&x=b}). It is the
   * form style's default, but swagger-core drops the annotation's explicit value, and generated
   * clients read an absent {@code explode} differently.
   */
  private static void explodeRepeatedQueryParameters(OpenAPI model) {
    if (model.getPaths() == null) {
      return;
    }
    model.getPaths().values().stream()
        .flatMap(item -> item.readOperations().stream())
        .filter(operation -> operation.getParameters() != null)
        .flatMap(operation -> operation.getParameters().stream())
        .filter(p -> "query".equals(p.getIn()) && p.getSchema() != null)
        .filter(p -> "array".equals(p.getSchema().getType()))
        .forEach(p -> p.setExplode(Boolean.TRUE));
  }
}
