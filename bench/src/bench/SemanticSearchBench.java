package bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Semantic search latency at 10k and 100k vectors in one tenant, with the local model: vectors are
 * random normalised 384-d arrays written straight in SQL. Measures the service's cached path, its
 * streamed path (cache off), and, for comparison, ranking in SQL over {@code real[]} with {@code
 * unnest}. Reports; never passes or fails.
 */
public final class SemanticSearchBench {
  private static final int EMBEDDED_PORT = 55433;
  private static final int SERVICE_PORT = 18490;
  private static final String MODEL = "all-minilm-l6-v2-q";
  private static final String KEY = "bench-api-key";

  private final Path jar = Path.of(env("BENCH_JAR", "target/feedback-hub.jar"));
  private final Path work = Path.of(env("BENCH_SEARCH_WORK", "bench/work/semantic"));
  private final int queries = Integer.parseInt(env("BENCH_SEARCH_QUERIES", "30"));
  private final List<Integer> sizes = parseSizes(env("BENCH_SEARCH_SIZES", "10000,100000"));
  private final List<String> modes =
      List.of(env("BENCH_SEARCH_MODES", "cached,streamed").split(","));
  private final String heap = env("BENCH_SEARCH_HEAP", "1g");
  private final boolean reuse = !env("BENCH_SEARCH_REUSE", "").isEmpty();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> lines = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    new SemanticSearchBench().run();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static List<Integer> parseSizes(String raw) {
    List<Integer> sizes = new ArrayList<>();
    for (String part : raw.split(",")) {
      sizes.add(Integer.parseInt(part.trim()));
    }
    return sizes;
  }

  private void run() throws Exception {
    Files.createDirectories(work);
    note(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, load average "
            + Files.readString(Path.of("/proc/loadavg")).trim()
            + "; queries per figure: "
            + queries);
    String jdbc = "jdbc:postgresql://127.0.0.1:" + EMBEDDED_PORT + "/postgres";
    int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    for (String mode : modes) {
      boolean cached = mode.strip().equals("cached");
      // One service per size, so its rank timer holds that size's searches only.
      for (int size : sizes) {
        Process service = start(cached ? Math.max(200_000, largest + largest / 10) : 0);
        try (Connection db = connect(jdbc)) {
          String tenant = tenant(db, size);
          measure(service, db, tenant, size, cached);
          // The SQL alternative grows linearly; one size shows its cost.
          if (cached && size == sizes.get(0) && !reuse) {
            sqlRanking(db, tenant, size);
          }
        } finally {
          service.destroy();
          service.waitFor();
        }
      }
    }
    Path out = Path.of("bench/results/semantic-search-" + System.currentTimeMillis() + ".txt");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
    System.out.println("written to " + out);
  }

  /**
   * The tenant holding {@code size} vectors: filled now, or with BENCH_SEARCH_REUSE set, the one a
   * previous run filled (the data folder is kept then).
   */
  private String tenant(Connection db, int size) throws SQLException {
    String tenant =
        reuse ? "bench-semantic-" + size : "bench-semantic-" + size + "-" + System.nanoTime();
    if (reuse) {
      try (PreparedStatement s =
          db.prepareStatement(
              "SELECT count(*) FROM embeddings e JOIN feedback_records f ON f.id ="
                  + " e.feedback_record_id WHERE f.tenant_id = ?")) {
        s.setString(1, tenant);
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == size) {
            note(String.format(Locale.ROOT, "reused the %d vectors of a previous run", size));
            return tenant;
          }
        }
      }
      try (PreparedStatement s =
          db.prepareStatement("DELETE FROM feedback_records WHERE tenant_id = ?")) {
        s.setString(1, tenant);
        s.executeUpdate();
      }
    }
    long started = System.nanoTime();
    fill(db, tenant, size);
    note(
        String.format(
            Locale.ROOT, "filled %d vectors in %.1f s", size, (System.nanoTime() - started) / 1e9));
    return tenant;
  }

  private void note(String line) {
    System.out.println(line);
    lines.add(line);
  }

  private Process start(int cacheVectors) throws Exception {
    // README's JVM options, with room for the largest vector cache this benchmark sets.
    ProcessBuilder builder =
        new ProcessBuilder(
                "java",
                "@jvm.options",
                "-Xmx" + heap,
                "-jar",
                jar.toString(),
                "server",
                "config.yml")
            .redirectErrorStream(true)
            .redirectOutput(new File(work.toFile(), "service.log"));
    Map<String, String> env = builder.environment();
    env.put("API_KEY", KEY);
    env.put("PORT", Integer.toString(SERVICE_PORT));
    env.put("ADMIN_PORT", Integer.toString(SERVICE_PORT + 1));
    env.put("DATABASE_URL", "");
    env.put("EMBEDDED_DB_DIR", work.resolve("postgres").toString());
    env.put("EMBEDDED_DB_PORT", Integer.toString(EMBEDDED_PORT));
    env.put("EMBEDDING_PROVIDER", "local");
    env.put("EMBEDDING_CACHE_DIR", work.resolve("djl").toString());
    env.put("EMBEDDING_SEARCH_CACHE_MAX_VECTORS", Integer.toString(cacheVectors));
    env.put("LOG_LEVEL", "WARN");
    Process process = builder.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the service exited; see " + work + "/service.log");
      }
      try {
        HttpRequest health =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + SERVICE_PORT + "/health"))
                .build();
        if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new IOException("the service did not become healthy");
  }

  private static Connection connect(String jdbc) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("ApplicationName", "feedback-hub-bench-semantic");
    return DriverManager.getConnection(jdbc, props);
  }

  /** Records and random unit vectors, all in SQL. */
  private static void fill(Connection db, String tenant, int size) throws SQLException {
    try (PreparedStatement s =
        db.prepareStatement(
            """
            INSERT INTO feedback_records (source_type, field_id, field_type, value_text, tenant_id, submission_id)
            SELECT 'bench', 'q1', 'text', 'feedback number ' || g, ?, 'semantic-' || g
            FROM generate_series(1, ?) AS g
            """)) {
      s.setString(1, tenant);
      s.setInt(2, size);
      s.executeUpdate();
    }
    try (PreparedStatement s =
        db.prepareStatement(
            """
            INSERT INTO embeddings (feedback_record_id, embedding, model)
            SELECT r.id,
                   ARRAY(SELECT (x / sqrt((SELECT sum(y * y) FROM unnest(r.v) AS y)))::real
                         FROM unnest(r.v) AS x),
                   ?
            FROM (
                SELECT f.id,
                       ARRAY(SELECT random() * 2 - 1 FROM generate_series(1, 384) WHERE f.id IS NOT NULL) AS v
                FROM feedback_records f
                WHERE f.tenant_id = ?
            ) AS r
            """)) {
      s.setString(1, MODEL);
      s.setString(2, tenant);
      s.executeUpdate();
    }
    try (PreparedStatement s = db.prepareStatement("ANALYZE feedback_records, embeddings")) {
      s.execute();
    }
  }

  private void measure(Process service, Connection db, String tenant, int size, boolean cached)
      throws Exception {
    String path = cached ? "cached" : "streamed (cache off)";
    int rounds = cached ? queries : Math.max(3, queries / 10);
    long first = search(tenant, "the checkout page is slow");
    List<Long> warm = new ArrayList<>();
    Random random = new Random(size);
    long searchCpu = cpuMillis(service);
    for (int i = 0; i < rounds; i++) {
      warm.add(search(tenant, "query " + random.nextInt(1_000_000) + " about slow payments"));
    }
    searchCpu = cpuMillis(service) - searchCpu;
    double rankP50 = rankP50();
    List<String> ids = new ArrayList<>();
    try (PreparedStatement s =
        db.prepareStatement("SELECT id FROM feedback_records WHERE tenant_id = ? LIMIT ?")) {
      s.setString(1, tenant);
      s.setInt(2, rounds);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    List<Long> similar = new ArrayList<>();
    long similarCpu = cpuMillis(service);
    for (String id : ids) {
      similar.add(similar(id));
    }
    similarCpu = cpuMillis(service) - similarCpu;
    note(
        String.format(
            Locale.ROOT,
            "%d vectors, %s: first search %.1f ms; search p50 %.1f ms, p95 %.1f ms"
                + " (its ranking, without the query's embedding: p50 %.1f ms);"
                + " similar (no model call) p50 %.1f ms, p95 %.1f ms; service CPU per request:"
                + " search %.1f ms, similar %.1f ms; rss %.0f MiB",
            size,
            path,
            first / 1e6,
            percentile(warm, 50) / 1e6,
            percentile(warm, 95) / 1e6,
            rankP50,
            percentile(similar, 50) / 1e6,
            percentile(similar, 95) / 1e6,
            (double) searchCpu / rounds,
            (double) similarCpu / Math.max(1, ids.size()),
            rss(service)));
  }

  /**
   * The median of the service's {@code hub_semantic_search_rank_seconds} (cache check, ranking and
   * the hits' rows; not the query's embedding), from the admin port, in ms.
   */
  private double rankP50() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (SERVICE_PORT + 1) + "/prometheus"))
            .build();
    for (String line :
        http.send(request, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
      if (line.startsWith("hub_semantic_search_rank_seconds{")
          && line.contains("quantile=\"0.5\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000;
      }
    }
    return Double.NaN;
  }

  private long similar(String id) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + SERVICE_PORT
                        + "/v1/feedback-records/"
                        + id
                        + "/similar?min_score=0"))
            .header("Authorization", "Bearer " + KEY)
            .build();
    long started = System.nanoTime();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    long took = System.nanoTime() - started;
    if (response.statusCode() != 200) {
      throw new IOException("similar answered " + response.statusCode() + ": " + response.body());
    }
    return took;
  }

  private long search(String tenant, String query) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + SERVICE_PORT
                        + "/v1/feedback-records/search/semantic?min_score=0"))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"query\":\"" + query + "\",\"tenant_id\":\"" + tenant + "\"}"))
            .build();
    long started = System.nanoTime();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    long took = System.nanoTime() - started;
    if (response.statusCode() != 200) {
      throw new IOException("search answered " + response.statusCode() + ": " + response.body());
    }
    return took;
  }

  /** The same ranking done in SQL over real[] with unnest, for comparison. */
  private void sqlRanking(Connection db, String tenant, int size) throws SQLException {
    StringBuilder query = new StringBuilder("{");
    Random random = new Random(7);
    for (int i = 0; i < 384; i++) {
      query.append(i == 0 ? "" : ",").append((float) (random.nextGaussian() / Math.sqrt(384)));
    }
    query.append('}');
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < Math.max(3, queries / 10); i++) {
      try (PreparedStatement s =
          db.prepareStatement(
              """
              SELECT e.feedback_record_id,
                     (SELECT sum(a * b) FROM unnest(e.embedding, CAST(? AS real[])) AS t(a, b)) AS dot
              FROM embeddings e
              JOIN feedback_records f ON f.id = e.feedback_record_id
              WHERE f.tenant_id = ? AND e.model = ?
              ORDER BY dot DESC, e.feedback_record_id
              LIMIT 11
              """)) {
        s.setString(1, query.toString());
        s.setString(2, tenant);
        s.setString(3, MODEL);
        long started = System.nanoTime();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rs.getString(1);
          }
        }
        samples.add(System.nanoTime() - started);
      }
    }
    note(
        String.format(
            Locale.ROOT,
            "%d vectors, SQL unnest ranking (no model call): p50 %.1f ms",
            size,
            percentile(samples, 50) / 1e6));
  }

  private static long percentile(List<Long> samples, int p) {
    List<Long> sorted = new ArrayList<>(samples);
    sorted.sort(null);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /**
   * The service process's CPU time (user and system, 10 ms ticks) in ms: what a request costs the
   * service whatever else the shared machine runs, which wall-clock latency does not show.
   */
  private static long cpuMillis(Process process) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  private static double rss(Process process) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }
}
