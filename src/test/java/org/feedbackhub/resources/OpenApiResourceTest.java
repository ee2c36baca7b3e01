package org.feedbackhub.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenApiResourceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Path("/v1/zebras")
  public static class Zebras {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
      return "[]";
    }
  }

  @Path("/v1/apples/{id}")
  public static class Apples {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String get(@PathParam("id") String id) {
      return "{}";
    }
  }

  @Path("/internal/secret")
  @Hidden
  public static class Internal {
    @GET
    public String get() {
      return "";
    }
  }

  @Test
  void documentsExactlyTheGivenVisibleClassesInPathOrder() throws Exception {
    JsonNode doc =
        document(new LinkedHashSet<>(List.of(Zebras.class, Internal.class, Apples.class)));
    List<String> paths = List.copyOf(toList(doc.get("paths").fieldNames()));
    assertThat(paths).containsExactly("/v1/apples/{id}", "/v1/zebras");
  }

  @Test
  void classOrderDoesNotChangeTheDocument() throws Exception {
    JsonNode one = document(new LinkedHashSet<>(List.of(Zebras.class, Apples.class)));
    JsonNode two = document(new LinkedHashSet<>(List.of(Apples.class, Zebras.class)));
    assertThat(JSON.writeValueAsString(one)).isEqualTo(JSON.writeValueAsString(two));
  }

  @Test
  void eachResponseGetsItsOwnServersAndTheTemplateStaysUntouched() throws Exception {
    OpenApiResource resource =
        OpenApiResource.describing(Set.of(Zebras.class), "https://a.example/");
    resource.openApi("json", null);
    JsonNode doc = JSON.readTree((String) resource.openApi("json", null).getEntity());
    assertThat(doc.get("servers")).hasSize(1);
    assertThat(doc.at("/servers/0/url").asText()).isEqualTo("https://a.example");
  }

  private static JsonNode document(Set<Class<?>> classes) throws Exception {
    OpenApiResource resource = OpenApiResource.describing(classes, "https://hub.example");
    return JSON.readTree((String) resource.openApi("json", null).getEntity());
  }

  private static <T> List<T> toList(Iterator<T> it) {
    List<T> list = new ArrayList<>();
    it.forEachRemaining(list::add);
    return list;
  }
}
