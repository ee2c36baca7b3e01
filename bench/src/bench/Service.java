package bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The feedback-hub jar started as a separate process on loopback, as an operator would run it. */
final class Service implements AutoCloseable {
  /** Starts so far; each start logs to its own {@code service-<n>.log}, kept after the run. */
  private static final AtomicInteger STARTS = new AtomicInteger();

  static final String API_KEY = "bench-api-key";

  private final Process process;
  final int port;
  final long startupMillis;

  private Service(Process process, int port, long startupMillis) {
    this.process = process;
    this.port = port;
    this.startupMillis = startupMillis;
  }

  /** The JVM options README's run command starts the service with. */
  static final List<String> DOCUMENTED_OPTIONS = List.of("@jvm.options");

  /**
   * README's run command as the benchmark runs it, {@code jvm.options} spelled out: for the report.
   */
  static String describe(Path jar) throws IOException {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("jvm.options"))) {
      if (!line.isBlank() && !line.strip().startsWith("#")) {
        options.add(line.strip());
      }
    }
    List<String> command =
        new ArrayList<>(List.of("java @jvm.options (" + String.join(" ", options) + ")"));
    command.addAll(extraOptions());
    command.addAll(List.of("-jar", jar.toString(), "server", "config.yml"));
    return String.join(" ", command);
  }

  /** {@code BENCH_SERVICE_JAVA_OPTS}, split at blanks. */
  private static List<String> extraOptions() {
    String extra = System.getenv().getOrDefault("BENCH_SERVICE_JAVA_OPTS", "").trim();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  /**
   * Starts the jar as README's run command does ({@link #DOCUMENTED_OPTIONS}) with {@code
   * databaseUrl} (empty: the embedded PostgreSQL in {@code dataDir} on {@code embeddedPort}) and
   * waits until {@code /health} answers.
   */
  static Service start(Path jar, String databaseUrl, Path dataDir, int embeddedPort, int port)
      throws IOException, InterruptedException {
    return start(jar, databaseUrl, dataDir, embeddedPort, port, DOCUMENTED_OPTIONS);
  }

  /** As {@link #start(Path, String, Path, int, int)}, with these JVM options instead. */
  static Service start(
      Path jar,
      String databaseUrl,
      Path dataDir,
      int embeddedPort,
      int port,
      List<String> jvmOptions)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java"));
    command.addAll(jvmOptions);
    command.addAll(extraOptions());
    command.addAll(List.of("-jar", jar.toString(), "server", "config.yml"));
    File log =
        new File(dataDir.getParent().toFile(), "service-" + STARTS.incrementAndGet() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    Map<String, String> env = builder.environment();
    env.put("API_KEY", API_KEY);
    env.put("PORT", Integer.toString(port));
    env.put("ADMIN_PORT", Integer.toString(port + 1));
    env.put("DATABASE_URL", databaseUrl);
    env.put("EMBEDDED_DB_DIR", dataDir.toString());
    env.put("EMBEDDED_DB_PORT", Integer.toString(embeddedPort));
    env.put("DATABASE_MAX_CONNS", "32");
    env.put("LOG_LEVEL", "WARN");
    Files.createDirectories(dataDir.getParent());
    long started = System.nanoTime();
    Process process = builder.start();
    // A benchmark that fails half-way must not leave the service holding its ports.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the service exited; see " + log);
      }
      try {
        if (client.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return new Service(process, port, (System.nanoTime() - started) / 1_000_000);
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IOException("the service did not become healthy within 120 s");
  }

  /**
   * Waits until the JIT compiler threads have been idle for two seconds (at most {@code max}): on
   * two cores the C2 compiler lags minutes behind a fresh load, and figures taken while it still
   * compiles describe the compiler, not the service.
   *
   * @return how long it took
   */
  Duration awaitCompilerIdle(Duration max) throws IOException, InterruptedException {
    long started = System.nanoTime();
    long deadline = started + max.toNanos();
    long previous = compilerTicks();
    int quietSeconds = 0;
    while (quietSeconds < 2 && System.nanoTime() < deadline) {
      Thread.sleep(1000);
      long now = compilerTicks();
      quietSeconds = now - previous <= 2 ? quietSeconds + 1 : 0;
      previous = now;
    }
    return Duration.ofNanos(System.nanoTime() - started);
  }

  /** CPU time, in clock ticks, of the service's JIT compiler threads. */
  private long compilerTicks() throws IOException {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
            continue;
          }
          // utime and stime are fields 14 and 15; the name in field 2 may contain spaces.
          String stat = Files.readString(task.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException threadEnded) {
          // the thread ended between listing and reading
        }
      }
    }
    return ticks;
  }

  /** Resident memory of the service process in MiB, from /proc. */
  double residentMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The API request that purges {@code tenant}'s data (a 300k-record purge takes seconds). */
  HttpRequest purgeRequest(String tenant) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/tenants/" + tenant + "/data"))
        .header("Authorization", "Bearer " + API_KEY)
        .timeout(Duration.ofMinutes(10))
        .DELETE()
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
