import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Records feedback-hub's class-data archive as the last step of {@code mvn package}: starts the
 * freshly built jar once with {@code -XX:ArchiveClassesAtExit} on a scratch embedded PostgreSQL,
 * sends it one request of each common kind, and stops it with SIGTERM, at which the JVM writes the
 * archive. A start with {@code -XX:SharedArchiveFile} (README, "Run") then maps those classes
 * already parsed and verified instead of loading them from the jar: start-up is mostly class
 * loading. Any failure fails the build, so a jar that cannot start never passes {@code package}.
 *
 * <p>Run by the JDK's source launcher, with the project folder as the working directory: {@code
 * java src/build/ClassDataTraining.java jvm.options <jar> <archive> <scratch folder>}. The service
 * runs with the JVM options of {@code jvm.options}; the jar path must be the one the service is
 * started with, as the JVM checks the class path it recorded.
 */
public final class ClassDataTraining {
  private static final Duration START_LIMIT = Duration.ofSeconds(120);
  private static final String API_KEY = "class-data-training";

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: ClassDataTraining <jvm options file> <jar> <archive> <scratch folder>");
    }
    Path options = Path.of(args[0]);
    Path jar = Path.of(args[1]);
    Path archive = Path.of(args[2]);
    Path scratch = Path.of(args[3]);
    Files.deleteIfExists(archive);
    deleteRecursively(scratch); // a data folder from an earlier build may be another major's
    Files.createDirectories(scratch);
    Path log = scratch.resolve("service.log");
    int port = freePort();
    long started = System.nanoTime();

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(trainingOptions(options));
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    command.addAll(List.of("-jar", jar.toString(), "server", "config.yml"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    // config.yml's defaults, whatever the shell sets: no external database, webhook or model.
    env.keySet().removeAll(configVariables(Path.of("config.yml")));
    env.put("API_KEY", API_KEY);
    env.put("PORT", Integer.toString(port));
    env.put("ADMIN_PORT", Integer.toString(freePort()));
    env.put("DATABASE_URL", "");
    env.put("EMBEDDED_DB_DIR", scratch.resolve("postgres").toAbsolutePath().toString());
    env.put("EMBEDDED_DB_PORT", Integer.toString(freePort()));
    env.put("LOG_LEVEL", "WARN");
    Process service = builder.start();
    try {
      Requests requests = new Requests("http://127.0.0.1:" + port);
      requests.awaitHealthy(service, log);
      requests.exercise();
    } finally {
      service.destroy(); // SIGTERM: the JVM shuts down cleanly and writes the archive on exit
      if (!service.waitFor(60, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
    if (!Files.isRegularFile(archive) || Files.size(archive) == 0) {
      throw new IllegalStateException(
          "no class-data archive was written; the service's output:\n" + Files.readString(log));
    }
    System.out.printf(
        "class-data archive %s: %d MiB, recorded in %.1f s%n",
        archive, Files.size(archive) >> 20, (System.nanoTime() - started) / 1e9);
  }

  /**
   * The service's JVM options (one a line, {@code #} comments, as the java launcher reads an
   * {@code @file}) but the archive being recorded, which cannot also be read.
   */
  private static List<String> trainingOptions(Path options) throws IOException {
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(options)) {
      String option = line.strip();
      if (!option.isEmpty()
          && !option.startsWith("#")
          && !option.startsWith("-XX:SharedArchiveFile=")) {
        kept.add(option);
      }
    }
    return kept;
  }

  /**
   * The environment variables {@code config} reads, as {@code ${NAME}} or {@code ${NAME:-default}}.
   */
  private static Set<String> configVariables(Path config) throws IOException {
    Set<String> names = new HashSet<>();
    Matcher matcher = Pattern.compile("\\$\\{([A-Za-z0-9_]+)").matcher(Files.readString(config));
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The training requests: the shapes a running service answers most. */
  private static final class Requests {
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    Requests(String baseUrl) {
      this.baseUrl = baseUrl;
    }

    void awaitHealthy(Process service, Path log) throws Exception {
      long deadline = System.nanoTime() + START_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!service.isAlive()) {
          throw new IllegalStateException(
              "the service stopped during training; its output:\n" + Files.readString(log));
        }
        try {
          if (send("GET", "/health", null).statusCode() == 200) {
            return;
          }
        } catch (IOException notListeningYet) {
          // keep polling until the deadline
        }
        service.waitFor(100, TimeUnit.MILLISECONDS);
      }
      throw new IllegalStateException(
          "the service was not healthy within "
              + START_LIMIT
              + "; its output:\n"
              + Files.readString(log));
    }

    void exercise() throws Exception {
      String tenant = "training-" + UUID.randomUUID();
      String created =
          expect(
              201,
              "POST",
              "/v1/feedback-records",
              """
              {"tenant_id":"%s","submission_id":"s-1","source_type":"survey","field_id":"q1",
               "field_type":"text","value_text":"It works","user_id":"u-1"}"""
                  .formatted(tenant));
      int at = created.indexOf("\"id\":\"") + 6;
      String id = created.substring(at, created.indexOf('"', at));
      expect(200, "GET", "/v1/feedback-records/" + id, null);
      expect(200, "PATCH", "/v1/feedback-records/" + id, "{\"value_text\":\"It still works\"}");
      expect(200, "GET", "/v1/feedback-records?limit=100&tenant_id=" + tenant, null);
      expect(200, "GET", "/v1/feedback-records/count?tenant_id=" + tenant, null);
      expect(
          409,
          "POST",
          "/v1/feedback-records",
          """
          {"tenant_id":"%s","submission_id":"s-1","source_type":"survey","field_id":"q1",
           "field_type":"text","value_text":"a duplicate"}"""
              .formatted(tenant));
      expect(400, "GET", "/v1/feedback-records?limit=0&tenant_id=" + tenant, null);
      expect(200, "GET", "/v1/webhooks", null);
      expect(204, "DELETE", "/v1/feedback-records/" + id, null);
      expect(200, "DELETE", "/v1/tenants/" + tenant + "/data", null);
    }

    private String expect(int status, String method, String path, String json) throws Exception {
      HttpResponse<String> response = send(method, path, json);
      if (response.statusCode() != status) {
        throw new IllegalStateException(
            method
                + " "
                + path
                + " answered "
                + response.statusCode()
                + ", not "
                + status
                + ": "
                + response.body());
      }
      return response.body();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(baseUrl + path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + API_KEY)
              .method(
                  method,
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      if (json != null) {
        request.header("Content-Type", "application/json");
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
