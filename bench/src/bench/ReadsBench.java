package bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Scenario 5: list and count latency on a tenant of {@code BENCH_READS_TENANT} records among {@code
 * BENCH_READS_TOTAL}, with realistic enrichment values ({@link Fixtures#fillRealistic}), for every
 * filter of api-next.md E alone, three typical combinations and both orders of {@code
 * sort=created_at}: list first page, list page 51 (the cursor of that very query), count. Each
 * figure is p50/p99 over at least {@link #MIN_REQUESTS} requests on {@link #CONNECTIONS}
 * connections.
 */
final class ReadsBench {
  static final int CONNECTIONS = 4;
  static final int MIN_REQUESTS = 500;

  private final Wrk wrk;
  private final Service service;
  private final Fixtures fixtures;
  private final Report report;

  ReadsBench(Wrk wrk, Service service, Fixtures fixtures, Report report) {
    this.wrk = wrk;
    this.service = service;
    this.fixtures = fixtures;
    this.report = report;
  }

  void run(int total, int perTenant) throws Exception {
    String tenant = "bench-reads-" + UUID.randomUUID();
    List<String> tenants = new ArrayList<>(List.of(tenant));
    for (int t = 1; t < Math.max(1, total / perTenant); t++) {
      tenants.add("bench-other-" + UUID.randomUUID());
    }
    long t0 = System.nanoTime();
    fixtures.fillRealistic(tenants, perTenant);
    fixtures.settle();
    fixtures.settle();
    report.note(
        "reads: "
            + tenants.size()
            + " tenants of "
            + perTenant
            + " records, interleaved,"
            + " generated in SQL in "
            + (System.nanoTime() - t0) / 1_000_000_000
            + " s; "
            + fixtures.visibility());
    double listBase = 0;
    double pageBase = 0;
    double countBase = 0;
    List<Double> listRatios = new ArrayList<>();
    List<Double> pageRatios = new ArrayList<>();
    List<Double> countRatios = new ArrayList<>();
    for (Map.Entry<String, String> c : cases().entrySet()) {
      String filters = "tenant_id=" + tenant + c.getValue();
      boolean sorted = c.getValue().contains("sort=");
      double list =
          measure(
              c.getKey() + ": list first page", "/v1/feedback-records?limit=100&" + filters, 20);
      String cursor = cursorAfter(filters, 50);
      double page =
          cursor == null
              ? Double.NaN
              : measure(
                  c.getKey() + ": list page 51",
                  "/v1/feedback-records?limit=100&" + filters + "&cursor=" + cursor,
                  20);
      if (cursor == null) {
        report.note(c.getKey() + ": fewer than 51 pages, page 51 not measured");
      }
      double count =
          sorted
              ? Double.NaN
              : measure(c.getKey() + ": count", "/v1/feedback-records/count?" + filters, 60);
      if (c.getKey().equals("unfiltered")) {
        listBase = list;
        pageBase = page;
        countBase = count;
      } else {
        listRatios.add(list / listBase);
        if (!Double.isNaN(page)) {
          pageRatios.add(page / pageBase);
        }
        if (!Double.isNaN(count)) {
          countRatios.add(count / countBase);
        }
      }
    }
    report.add(
        "5 reads",
        "slowest list first page p99 / unfiltered",
        "ratio",
        List.of(max(listRatios)),
        "<= 3");
    report.add(
        "5 reads",
        "slowest list page 51 p99 / unfiltered",
        "ratio",
        List.of(max(pageRatios)),
        "<= 3");
    report.add(
        "5 reads",
        "slowest count p99 / unfiltered count",
        "ratio",
        List.of(max(countRatios)),
        "<= 3");
  }

  /** The cases: name -> query string after the tenant (values match the fixture's). */
  static Map<String, String> cases() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String d30 = now.minus(30, ChronoUnit.DAYS).toString();
    String d45 = now.minus(45, ChronoUnit.DAYS).toString();
    String d60 = now.minus(60, ChronoUnit.DAYS).toString();
    String d90 = now.minus(90, ChronoUnit.DAYS).toString();
    String d7 = now.minus(7, ChronoUnit.DAYS).toString();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("unfiltered", "");
    cases.put("source_name", "&source_name=" + enc("Churn interview"));
    cases.put("language", "&language=de");
    cases.put("sentiment", "&sentiment=negative");
    cases.put("emotions", "&emotions=joy");
    cases.put("created_since", "&created_since=" + d30);
    cases.put("created_until", "&created_until=" + d30);
    cases.put("updated_since", "&updated_since=" + d7);
    cases.put("value_number_min", "&value_number_min=9");
    cases.put("value_number_max", "&value_number_max=2");
    cases.put("value_date_min", "&value_date_min=" + d90);
    cases.put("value_date_max", "&value_date_max=" + d60);
    cases.put("sentiment_score_min", "&sentiment_score_min=0.5");
    cases.put("sentiment_score_max", "&sentiment_score_max=-0.5");
    cases.put("has_sentiment", "&has_sentiment=true");
    cases.put("has_emotions", "&has_emotions=true");
    cases.put("has_translation", "&has_translation=true");
    cases.put("sentiment + since", "&sentiment=negative&since=" + d45);
    cases.put(
        "field_id x3 + source_type", "&field_id=q1&field_id=q2&field_id=q3&source_type=formbricks");
    cases.put("has_translation=false + language", "&has_translation=false&language=de");
    cases.put("sort=created_at desc", "&sort=created_at&order=desc");
    cases.put("sort=created_at asc", "&sort=created_at&order=asc");
    return cases;
  }

  /** p50 and p99 of {@code path} over at least {@link #MIN_REQUESTS} requests; returns the p99. */
  private double measure(String name, String path, double targetP99) throws Exception {
    Duration window = Duration.ofSeconds(5);
    Wrk.Result r = wrk.run(Wrk.Shape.get(path), CONNECTIONS, window);
    if (r.requests() < MIN_REQUESTS) {
      long seconds = (long) Math.ceil(MIN_REQUESTS * 1.3 / Math.max(1, r.perSecond()));
      r = wrk.run(Wrk.Shape.get(path), CONNECTIONS, Duration.ofSeconds(Math.min(120, seconds)));
    }
    if (r.count(200) != r.requests()) {
      report.note(name + " answered " + r.statuses() + " socket errors: " + r.socketErrors());
    }
    report.add(
        "5 reads", name + " p50 (" + r.requests() + " requests)", "ms", List.of(r.p50Millis()), "");
    report.add("5 reads", name + " p99", "ms", List.of(r.p99Millis()), "<= " + (int) targetP99);
    return r.p99Millis();
  }

  /** The next_cursor after {@code pages} pages of the list with {@code filters}, or null. */
  private String cursorAfter(String filters, int pages) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String cursor = null;
    for (int i = 0; i < pages; i++) {
      String path =
          "/v1/feedback-records?limit=100&" + filters + (cursor == null ? "" : "&cursor=" + cursor);
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                      .header("Authorization", "Bearer " + Service.API_KEY)
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      int at = body.indexOf("\"next_cursor\":\"");
      if (at < 0) {
        return null;
      }
      cursor = body.substring(at + 15, body.indexOf('"', at + 15));
    }
    return cursor;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
