package bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * feedback-hub's benchmark: starts PostgreSQL (embedded, or {@code BENCH_DATABASE_URL}) and the
 * service jar, runs the scenarios on loopback and reports figures and ratios measured side by side
 * in one run. It reports; it never passes or fails.
 */
public final class Bench {
  /** Overridable, so two worktrees can run benchmarks on one machine. */
  private static final int SERVICE_PORT = intEnv("BENCH_SERVICE_PORT", 18480);

  private static final int EMBEDDED_PORT = intEnv("BENCH_POSTGRES_PORT", 55432);
  private static final String ALL_SCENARIOS = "create,failfast,isolation,purge,reads,startup";

  private final Path jar = Path.of("target/feedback-hub.jar");
  private final Path work = Path.of("bench/work");
  private final int seconds = intEnv("BENCH_SECONDS", 20);
  private final int warmupSeconds = intEnv("BENCH_WARMUP_SECONDS", 240);
  private final int reps = intEnv("BENCH_REPS", 3);
  private final int clients = intEnv("BENCH_CLIENTS", 16);
  private final int failFastClients = intEnv("BENCH_FAILFAST_CLIENTS", 4);
  private final int failFastRate = intEnv("BENCH_FAILFAST_RATE", 150);
  private final List<Integer> purgeSizes = intsEnv("BENCH_PURGE_SIZES", "10000,100000,300000");
  private final int readsTotal = intEnv("BENCH_READS_TOTAL", 1_000_000);
  private final int readsTenant = intEnv("BENCH_READS_TENANT", 200_000);
  private final String externalUrl = System.getenv().getOrDefault("BENCH_DATABASE_URL", "");
  private final List<String> scenarios =
      List.of(System.getenv().getOrDefault("BENCH_SCENARIOS", ALL_SCENARIOS).split(","));
  private final Report report = new Report();

  public static void main(String[] args) throws Exception {
    new Bench().run();
  }

  private void run() throws Exception {
    String databaseUri =
        externalUrl.isEmpty()
            ? "postgresql://postgres@127.0.0.1:" + EMBEDDED_PORT + "/postgres"
            : externalUrl;
    Files.createDirectories(work);
    Path dataDir = work.resolve("postgres");
    report.note(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
    report.note("database: " + databaseUri);
    report.note(
        "settings: BENCH_SECONDS="
            + seconds
            + " BENCH_WARMUP_SECONDS="
            + warmupSeconds
            + " BENCH_REPS="
            + reps
            + " BENCH_CLIENTS="
            + clients
            + " BENCH_FAILFAST_CLIENTS="
            + failFastClients
            + " BENCH_FAILFAST_RATE="
            + failFastRate
            + " BENCH_PURGE_SIZES="
            + purgeSizes
            + " BENCH_READS_TOTAL="
            + readsTotal
            + " BENCH_READS_TENANT="
            + readsTenant
            + " BENCH_SCENARIOS="
            + String.join(",", scenarios));
    report.note("service: " + Service.describe(jar));
    Service service = Service.start(jar, externalUrl, dataDir, EMBEDDED_PORT, SERVICE_PORT);
    Wrk wrk = new Wrk(service.baseUrl(), work);
    PgBench pgbench = new PgBench(databaseUri, work);
    try (Fixtures fixtures = new Fixtures(databaseUri)) {
      report.note(
          "versions: java "
              + System.getProperty("java.version")
              + "; "
              + fixtures.serverVersion()
              + "; "
              + Wrk.version()
              + "; "
              + PgBench.version()
              + "; Linux "
              + Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
      warmUp(wrk, service, fixtures, databaseUri);
      if (scenarios.contains("create")) {
        createThroughput(wrk, pgbench, fixtures);
        report.add(
            "footprint",
            "resident memory after creates",
            "MiB",
            List.of(service.residentMiB()),
            "<= 512");
      }
      if (scenarios.contains("failfast")) {
        failFast(wrk, fixtures);
      }
      if (scenarios.contains("isolation")) {
        isolation(wrk, service, fixtures, databaseUri);
      }
      if (scenarios.contains("purge")) {
        purgeCost(service, fixtures);
      }
      if (scenarios.contains("reads")) {
        new ReadsBench(wrk, service, fixtures, report).run(readsTotal, readsTenant);
      }
    }
    service.close();
    if (scenarios.contains("startup")) {
      startup(dataDir);
    }
    for (String command : wrk.commands()) {
      report.note("command: " + command);
    }
    for (String command : pgbench.commands()) {
      report.note("command: " + command);
    }
    if (scenarios.contains("purge")) {
      report.note(
          "command: purge DELETE "
              + service.baseUrl()
              + "/v1/tenants/<tenant>/data"
              + " (java.net.http); baseline in one transaction: "
              + String.join("; ", Fixtures.PLAIN_DELETES));
    }
    report.print();
    Path out =
        Path.of(
            "bench/results/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".json");
    report.writeJson(out);
    System.out.println("\nwritten: " + out);
  }

  /**
   * Sends the scenarios' request shapes before anything is measured, so the service's JIT-compiled
   * code is what the figures describe: creates for {@code BENCH_WARMUP_SECONDS} in rounds of 20 s
   * (on two cores the JIT compiler shares the CPU with the load: the create rate still climbs for
   * about four minutes), then creates refused for a locked tenant (without them, the first
   * fail-fast run measured the 409 path while it was still being compiled: most of its slow answers
   * fell in its first seconds), then creates while tenants are purged in a loop (without them, the
   * first isolation run measured the purge path, and the create path recompiled around it, while
   * the JIT compiler worked: the service's CPU rose as B's rate fell to 0.59), then lists and
   * counts, then a wait until the compiler threads are idle.
   */
  private void warmUp(Wrk wrk, Service service, Fixtures fixtures, String databaseUri)
      throws Exception {
    String tenant = "bench-warmup-" + UUID.randomUUID();
    Duration round = Duration.ofSeconds(20);
    List<Long> rates = new ArrayList<>();
    for (int i = 0; i < Math.max(1, warmupSeconds / round.toSeconds()); i++) {
      rates.add(Math.round(wrk.run(Wrk.Shape.create(tenant), clients, round).perSecond()));
    }
    String locked = "bench-warmup-locked-" + UUID.randomUUID();
    fixtures.lockExclusive(locked);
    try {
      wrk.run(Wrk.Shape.create(locked), clients, round);
    } finally {
      fixtures.unlockAll();
    }
    List<String> purged = filledTenants(fixtures, "bench-warmup-purged-", 4);
    try (PurgeLoop loop = new PurgeLoop(service, databaseUri, purged)) {
      wrk.run(Wrk.Shape.create(tenant), clients, round);
    }
    wrk.run(Wrk.Shape.get("/v1/feedback-records?limit=100&tenant_id=" + tenant), clients, round);
    wrk.run(Wrk.Shape.get("/v1/feedback-records/count?tenant_id=" + tenant), clients, round);
    fixtures.clearOutbox();
    Duration settled = service.awaitCompilerIdle(Duration.ofSeconds(120));
    report.note(
        "warm-up: creates/s per 20 s round "
            + rates
            + ", then 20 s of refused creates, 20 s"
            + " of creates with purges, 40 s of lists and counts, then "
            + settled.toSeconds()
            + " s until the JIT compiler was idle");
  }

  /**
   * Scenario 6: start-up to healthy on the initialised database, as README's run command starts it
   * ({@code jvm.options}, with the class-data archive {@code mvn package} records) and as a bare
   * {@code java -jar} with the JVM's defaults.
   */
  private void startup(Path dataDir) throws Exception {
    List<Double> documented = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      Service restarted = Service.start(jar, externalUrl, dataDir, EMBEDDED_PORT, SERVICE_PORT);
      documented.add((double) restarted.startupMillis);
      restarted.close();
      restarted = Service.start(jar, externalUrl, dataDir, EMBEDDED_PORT, SERVICE_PORT, List.of());
      bare.add((double) restarted.startupMillis);
      restarted.close();
    }
    report.add(
        "footprint",
        "start-up to healthy, java @jvm.options (initialised database)",
        "ms",
        documented,
        "<= 4000");
    report.add("footprint", "start-up to healthy, bare java -jar", "ms", bare, "");
  }

  /** Scenario 1: HTTP creates vs pgbench running the same gated INSERT; gated vs plain INSERT. */
  private void createThroughput(Wrk wrk, PgBench pgbench, Fixtures fixtures) throws Exception {
    List<Double> app = new ArrayList<>();
    List<Double> gated = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> lockCost = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      String tenant = "bench-create-" + UUID.randomUUID();
      Wrk.Result r = wrk.run(Wrk.Shape.create(tenant), clients, Duration.ofSeconds(seconds));
      double appRate = r.count(201) / r.seconds();
      double gatedRate =
          pgbench.run("gated", PgBench.GATED_INSERT, "bench-pg-" + i, clients, seconds);
      double plainRate =
          pgbench.run("plain", PgBench.PLAIN_INSERT, "bench-pg-" + i, clients, seconds);
      fixtures.clearOutbox();
      app.add(appRate);
      gated.add(gatedRate);
      plain.add(plainRate);
      ratio.add(appRate / gatedRate);
      lockCost.add(gatedRate / plainRate);
      p99.add(r.p99Millis());
      report.note(
          "create run "
              + (i + 1)
              + " statuses: "
              + r.statuses()
              + " socket errors: "
              + r.socketErrors());
    }
    report.add("1 create", "HTTP creates/s (" + clients + " connections)", "req/s", app, "");
    report.add("1 create", "pgbench gated INSERT tx/s", "tx/s", gated, "");
    report.add("1 create", "pgbench plain INSERT tx/s", "tx/s", plain, "");
    report.add("1 create", "app / pgbench gated", "ratio", ratio, ">= 0.6");
    report.add("1 create", "pgbench gated / plain (lock cost)", "ratio", lockCost, "~0.8-0.9");
    report.add("1 create", "HTTP create p99", "ms", p99, "");
  }

  /**
   * Scenario 2: while A is exclusively locked on a raw connection, creates for A (refused, 409) run
   * side by side with creates for B (accepted), each stream on half of {@code
   * BENCH_FAILFAST_CLIENTS} connections paced for {@code BENCH_FAILFAST_RATE} requests a second
   * (each connection waits its share of a second after every answer, so somewhat fewer arrive). The
   * paced load leaves the machine headroom, so the latencies are the cost of each path rather than
   * the queueing of a saturated closed loop (scenario 1 measures that).
   */
  private void failFast(Wrk wrk, Fixtures fixtures) throws Exception {
    List<Double> rejectedP50 = new ArrayList<>();
    List<Double> rejectedP99 = new ArrayList<>();
    List<Double> acceptedP50 = new ArrayList<>();
    List<Double> acceptedP99 = new ArrayList<>();
    Duration window = Duration.ofSeconds(Math.max(5, seconds / 2));
    int half = Math.max(1, failFastClients / 2);
    fixtures.settle();
    for (int i = 0; i < reps; i++) {
      String a = "bench-locked-" + UUID.randomUUID();
      String b = "bench-free-" + UUID.randomUUID();
      fixtures.lockExclusive(a);
      try {
        CompletableFuture<Wrk.Result> accepted =
            CompletableFuture.supplyAsync(
                () -> unchecked(() -> wrk.paced(Wrk.Shape.create(b), half, failFastRate, window)));
        Wrk.Result rejected = wrk.paced(Wrk.Shape.create(a), half, failFastRate, window);
        Wrk.Result acceptedResult = accepted.join();
        rejectedP50.add(rejected.p50Millis());
        rejectedP99.add(rejected.p99Millis());
        acceptedP50.add(acceptedResult.p50Millis());
        acceptedP99.add(acceptedResult.p99Millis());
        report.note(
            "fail-fast run "
                + (i + 1)
                + ": locked tenant "
                + rejected.statuses()
                + " at "
                + Math.round(rejected.perSecond())
                + "/s, free tenant "
                + acceptedResult.statuses()
                + " at "
                + Math.round(acceptedResult.perSecond())
                + "/s");
      } finally {
        fixtures.unlockAll();
      }
    }
    fixtures.clearOutbox();
    String load = " (" + failFastRate + "/s + " + failFastRate + "/s)";
    report.add("2 fail-fast", "rejected (409) p50" + load, "ms", rejectedP50, "<= accepted p50");
    report.add("2 fail-fast", "accepted (201) p50", "ms", acceptedP50, "");
    report.add("2 fail-fast", "rejected (409) p99", "ms", rejectedP99, "<= 5");
    report.add("2 fail-fast", "accepted (201) p99", "ms", acceptedP99, "");
  }

  /**
   * Scenario 3: tenant B's create throughput while tenants of 10k records are purged one after
   * another, vs B's throughput with no purges. The purged tenants are filled (and the tables
   * vacuumed) before the windows, refilled between rounds, so the window measures purges, not the
   * bulk inserts that set them up or the autovacuum those inserts call for.
   */
  private void isolation(Wrk wrk, Service service, Fixtures fixtures, String databaseUri)
      throws Exception {
    List<Double> ratio = new ArrayList<>();
    List<Double> purges = new ArrayList<>();
    Duration window = Duration.ofSeconds(Math.max(5, seconds / 2));
    int prepared = Math.max(16, (int) window.toSeconds() * 4);
    for (int i = 0; i < reps; i++) {
      String b = "bench-b-" + UUID.randomUUID();
      List<String> tenantsToPurge = filledTenants(fixtures, "bench-a-", prepared);
      fixtures.settle();
      double quiet = wrk.run(Wrk.Shape.create(b), clients, window).perSecond();
      double busy;
      int purged;
      try (PurgeLoop loop = new PurgeLoop(service, databaseUri, tenantsToPurge)) {
        busy = wrk.run(Wrk.Shape.create(b), clients, window).perSecond();
        purged = loop.stop();
        if (loop.refilled()) {
          report.note(
              "isolation run "
                  + (i + 1)
                  + ": more purges than prepared tenants; refills ran in the window");
        }
      }
      ratio.add(busy / quiet);
      purges.add((double) purged);
    }
    fixtures.clearOutbox();
    report.add(
        "3 isolation", "B creates/s with A purged in a loop / without", "ratio", ratio, ">= 0.8");
    report.add(
        "3 isolation", "purges of 10k-record tenants during the window", "count", purges, "");
  }

  /**
   * {@code count} new tenants, each {@code prefix} and a UUID, with {@link PurgeLoop#RECORDS} each.
   */
  private static List<String> filledTenants(Fixtures fixtures, String prefix, int count)
      throws Exception {
    List<String> tenants = new ArrayList<>();
    for (int t = 0; t < count; t++) {
      String tenant = prefix + UUID.randomUUID();
      fixtures.fill(tenant, PurgeLoop.RECORDS, false);
      tenants.add(tenant);
    }
    return tenants;
  }

  /** Something a {@link CompletableFuture} runs that may throw. */
  private interface Measurement {
    Wrk.Result run() throws Exception;
  }

  private static Wrk.Result unchecked(Measurement measurement) {
    try {
      return measurement.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Scenario 4: API purge vs plain SQL deletes of identical data, at growing sizes. */
  private void purgeCost(Service service, Fixtures fixtures) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int size : purgeSizes) {
      List<Double> purgeMs = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      for (int i = 0; i < reps; i++) {
        String viaApi = "bench-purge-" + UUID.randomUUID();
        String viaSql = "bench-plain-" + UUID.randomUUID();
        fixtures.fill(viaApi, size, true);
        fixtures.fill(viaSql, size, true);
        long t0 = System.nanoTime();
        HttpResponse<String> response =
            http.send(service.purgeRequest(viaApi), HttpResponse.BodyHandlers.ofString());
        double apiMs = (System.nanoTime() - t0) / 1e6;
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              "purge answered " + response.statusCode() + " " + response.body());
        }
        double sqlMs = fixtures.plainDelete(viaSql);
        purgeMs.add(apiMs);
        ratio.add(apiMs / sqlMs);
      }
      report.add(
          "4 purge",
          "purge of " + size + " records (+embeddings, events)",
          "ms",
          purgeMs,
          "linear");
      report.add("4 purge", "purge / plain deletes at " + size, "ratio", ratio, "<= 1.3");
    }
  }

  private static int intEnv(String name, int defaultValue) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? defaultValue : Integer.parseInt(value.trim());
  }

  private static List<Integer> intsEnv(String name, String defaultValue) {
    List<Integer> values = new ArrayList<>();
    for (String part : System.getenv().getOrDefault(name, defaultValue).split(",")) {
      values.add(Integer.parseInt(part.trim()));
    }
    return values;
  }
}
