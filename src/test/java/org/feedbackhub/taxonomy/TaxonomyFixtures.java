package org.feedbackhub.taxonomy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import org.feedbackhub.testing.Db;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.Reply;

/** Records, embeddings, results and a stand-in compute service for the taxonomy tests. */
final class TaxonomyFixtures {
  static final String MODEL = "test-embedding-model";
  static final String INTERNAL_TOKEN = "internal-token-123";
  static final String SERVICE_TOKEN = "service-token-456";
  static final ObjectMapper JSON = new ObjectMapper();

  private TaxonomyFixtures() {}

  /** Inserts {@code n} text records in one field and returns their ids. */
  static List<String> records(
      String tenant, String sourceType, String sourceId, String fieldId, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(
          Db.queryStrings(
                  """
                  INSERT INTO feedback_records (source_type, source_id, field_id, field_label,
                      field_type, value_text, tenant_id, submission_id)
                  VALUES (?, ?, ?, 'What could we improve?', 'text', ?, ?, ?)
                  RETURNING id
                  """,
                  sourceType,
                  sourceId,
                  fieldId,
                  "answer " + i,
                  tenant,
                  UUID.randomUUID().toString())
              .get(0));
    }
    return ids;
  }

  static void embed(List<String> recordIds) {
    for (String id : recordIds) {
      Db.execute(
          "INSERT INTO embeddings (feedback_record_id, embedding, model)"
              + " VALUES (CAST(? AS uuid), ARRAY[0.1, 0.2, 0.3]::real[], ?)",
          id,
          MODEL);
    }
  }

  static String createRunBody(String tenant, String sourceType, String sourceId, String fieldId) {
    ObjectNode body = JSON.createObjectNode();
    body.put("tenant_id", tenant);
    body.put("source_type", sourceType);
    body.put("source_id", sourceId);
    body.put("field_id", fieldId);
    body.put("field_label", "What could we improve?");
    body.put("actor_id", "user-1");
    return body.toString();
  }

  /**
   * A result with clusters 0 and 1, the first two records in cluster 0 and the third in 1, and the
   * tree root → {Pricing (cluster 0), Bugs (cluster 1)}, children listed before their root.
   */
  static String result(List<String> recordIds) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("metrics").put("silhouette", 0.5);
    ArrayNode clusters = body.putArray("clusters");
    clusters
        .addObject()
        .put("cluster_key", 0)
        .put("label", "Pricing")
        .put("size", 2)
        .put("is_outlier", false);
    clusters
        .addObject()
        .put("cluster_key", 1)
        .put("label", "Bugs")
        .put("size", 1)
        .put("is_outlier", false);
    ArrayNode memberships = body.putArray("memberships");
    for (int i = 0; i < 3; i++) {
      memberships
          .addObject()
          .put("cluster_key", i < 2 ? 0 : 1)
          .put("feedback_record_id", recordIds.get(i))
          .put("confidence", 0.9);
    }
    ArrayNode nodes = body.putArray("nodes");
    nodes
        .addObject()
        .put("node_key", "pricing")
        .put("parent_key", "root")
        .put("cluster_key", 0)
        .put("node_type", "leaf")
        .put("label", "Pricing")
        .put("level", 1)
        .put("sort_order", 0);
    nodes
        .addObject()
        .put("node_key", "bugs")
        .put("parent_key", "root")
        .put("cluster_key", 1)
        .put("node_type", "leaf")
        .put("label", "Bugs")
        .put("level", 1)
        .put("sort_order", 1);
    nodes
        .addObject()
        .put("node_key", "root")
        .put("node_type", "root")
        .put("label", "All")
        .put("level", 0)
        .put("sort_order", 0);
    return body.toString();
  }

  /** A request to the internal API with {@code token}. */
  static Reply internal(HubApp app, String method, String path, String json, String token) {
    var request =
        app.client()
            .target(app.baseUrl() + path)
            .request(MediaType.APPLICATION_JSON_TYPE)
            .header("Authorization", "Bearer " + token);
    return Reply.of(
        json == null
            ? request.method(method)
            : request.method(method, Entity.entity(json, MediaType.APPLICATION_JSON_TYPE)));
  }

  static Reply internal(HubApp app, String method, String path, String json) {
    return internal(app, method, path, json, INTERNAL_TOKEN);
  }

  /** The child of {@code node} labelled {@code label}. */
  static JsonNode child(JsonNode node, String label) {
    for (JsonNode c : node.path("children")) {
      if (c.path("label").asText().equals(label)) {
        return c;
      }
    }
    throw new AssertionError("no child " + label + " in " + node);
  }

  /** One call the compute service received. */
  record StartCall(String path, String authorization, String requestId, String body) {}

  /**
   * The compute service, played on 127.0.0.1: records every start call; answers 500 to runs of
   * tenants whose id starts with {@code failing-}, 202 otherwise.
   */
  static final class ComputeService implements AutoCloseable {
    final LinkedBlockingQueue<StartCall> calls = new LinkedBlockingQueue<>();
    private final HttpServer server;

    ComputeService() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      server.createContext(
          "/",
          exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            calls.add(
                new StartCall(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("X-Request-ID"),
                    body));
            int status = body.contains("\"failing-") ? 500 : 202;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
