package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP load from wrk (Debian's {@code wrk}): a closed loop of {@code connections} keep-alive
 * connections on two threads, the way pgbench drives the database, so the load generator takes
 * little of the CPU the service and PostgreSQL share; or a paced load, where each connection waits
 * between its requests so that the connections together offer a fixed rate. A generated Lua script
 * shapes the requests (a unique submission id per create) and prints one result line with the
 * status counts. wrk measures a request's latency from its write to its response, so a paced
 * connection's waits are not in it.
 */
final class Wrk {
  /** What one wrk run measured; latencies are wrk's, from its own histogram. */
  record Result(
      long requests,
      double seconds,
      double p50Millis,
      double p99Millis,
      long socketErrors,
      Map<Integer, Long> statuses) {
    double perSecond() {
      return requests / seconds;
    }

    long count(int status) {
      return statuses.getOrDefault(status, 0L);
    }
  }

  /** The requests of one run: {@code GET path}, or creates for one tenant. */
  record Shape(String method, String path, String bodyPrefix, String bodySuffix) {
    static Shape get(String path) {
      return new Shape("GET", path, null, null);
    }

    /**
     * Creates of about 1 KiB for {@code tenant}; the submission id is completed per request with a
     * run nonce, the wrk thread and a counter, so no two requests of any run collide.
     */
    static Shape create(String tenant) {
      return new Shape(
          "POST",
          "/v1/feedback-records",
          """
          {"source_type":"bench","field_id":"q1","field_type":"text","tenant_id":"%s",\
          "user_id":"user-7","source_id":"bench-source","source_name":"Benchmark",\
          "field_label":"How was it?","language":"en","metadata":{"plan":"pro","region":"eu"},\
          "value_text":"%s","submission_id":"\
          """
              .formatted(tenant, "x".repeat(700)),
          "\"}");
    }
  }

  private static final Pattern RESULT = Pattern.compile("^BENCH (.*)$", Pattern.MULTILINE);

  private final String baseUrl;
  private final Path workDir;
  private final Set<String> commands = new LinkedHashSet<>();

  Wrk(String baseUrl, Path workDir) {
    this.baseUrl = baseUrl;
    this.workDir = workDir;
  }

  /**
   * Runs {@code shape} on {@code connections} connections for {@code duration}, as fast as they go.
   */
  Result run(Shape shape, int connections, Duration duration)
      throws IOException, InterruptedException {
    return run(shape, connections, 0, duration);
  }

  /**
   * Runs {@code shape} on {@code connections} connections that together offer about {@code
   * perSecond} requests a second (each waits {@code connections / perSecond} between a response and
   * its next request), on one wrk thread.
   */
  Result paced(Shape shape, int connections, int perSecond, Duration duration)
      throws IOException, InterruptedException {
    return run(shape, connections, Math.max(1, connections * 1000 / perSecond), duration);
  }

  private Result run(Shape shape, int connections, int delayMillis, Duration duration)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile(workDir, "wrk-", ".lua");
    try {
      Files.writeString(script, luaScript(shape, delayMillis));
      int threads = delayMillis > 0 ? 1 : Math.min(2, connections);
      String nonce = UUID.randomUUID().toString();
      List<String> command =
          List.of(
              "wrk",
              "-t",
              Integer.toString(threads),
              "-c",
              Integer.toString(connections),
              "-d",
              duration.toSeconds() + "s",
              "--timeout",
              "30s",
              "-s",
              script.toString(),
              baseUrl,
              "--",
              nonce);
      commands.add(
          String.join(" ", command)
              .replace(script.toString(), "<script: " + describe(shape, delayMillis) + ">")
              .replace(nonce, "<run nonce>"));
      String output = Processes.output(command);
      Matcher m = RESULT.matcher(output);
      if (!m.find()) {
        throw new IOException("wrk printed no result:\n" + output);
      }
      return parse(m.group(1));
    } finally {
      Files.deleteIfExists(script);
    }
  }

  /** The distinct wrk command lines run so far, the generated script and nonce named in words. */
  Set<String> commands() {
    return commands;
  }

  /** wrk's version line, for the report. */
  static String version() throws IOException, InterruptedException {
    return Processes.output(List.of("wrk", "-v")).lines().findFirst().orElse("unknown");
  }

  private static String describe(Shape shape, int delayMillis) {
    String requests =
        shape.bodyPrefix() == null
            ? "GET " + shape.path()
            : shape.method()
                + " "
                + shape.path()
                + ", about 1 KiB bodies, a unique submission id each";
    return delayMillis > 0 ? requests + ", " + delayMillis + " ms between requests" : requests;
  }

  private static String luaScript(Shape shape, int delayMillis) {
    String request =
        shape.bodyPrefix() == null
            ? "return wrk.format(\"GET\", path, headers)"
            : "counter = counter + 1\n"
                + "  return wrk.format(\""
                + shape.method()
                + "\", path, headers,\n"
                + "    prefix .. nonce .. \"-\" .. tid .. \"-\" .. counter .. suffix)";
    return """
        path = [==[%s]==]
        prefix = [==[%s]==]
        suffix = [==[%s]==]
        headers = {["Authorization"] = "Bearer %s", ["Content-Type"] = "application/json"}
        counter = 0
        statuses = {}
        local threads = {}

        function setup(thread)
          table.insert(threads, thread)
          thread:set("tid", #threads)
        end

        function init(args)
          nonce = args[1]
        end

        function request()
          %s
        end
        %s

        function response(status, headers, body)
          statuses[status] = (statuses[status] or 0) + 1
        end

        function done(summary, latency, requests)
          local all = {}
          for _, thread in ipairs(threads) do
            for status, n in pairs(thread:get("statuses")) do
              all[status] = (all[status] or 0) + n
            end
          end
          local parts = {}
          for status, n in pairs(all) do
            table.insert(parts, status .. "=" .. n)
          end
          local e = summary.errors
          io.write(string.format("BENCH %%d %%d %%d %%d %%d %%s\\n", summary.requests,
            summary.duration, latency:percentile(50), latency:percentile(99),
            e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
        end
        """
        .formatted(
            shape.path(),
            shape.bodyPrefix() == null ? "" : shape.bodyPrefix(),
            shape.bodySuffix() == null ? "" : shape.bodySuffix(),
            Service.API_KEY,
            request,
            delayMillis > 0 ? "function delay() return " + delayMillis + " end" : "");
  }

  /** {@code requests duration_us p50_us p99_us socket_errors status=n,...} */
  private static Result parse(String line) {
    String[] f = line.trim().split(" ");
    Map<Integer, Long> statuses = new TreeMap<>();
    if (f.length > 5 && !f[5].isEmpty()) {
      for (String pair : f[5].split(",")) {
        String[] kv = pair.split("=");
        statuses.put(Integer.parseInt(kv[0]), Long.parseLong(kv[1]));
      }
    }
    return new Result(
        Long.parseLong(f[0]),
        Long.parseLong(f[1]) / 1e6,
        Long.parseLong(f[2]) / 1e3,
        Long.parseLong(f[3]) / 1e3,
        Long.parseLong(f[4]),
        statuses);
  }
}
