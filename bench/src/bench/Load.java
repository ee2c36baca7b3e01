package bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load: {@code clients} threads, each with its own keep-alive connection, send
 * requests back to back for a fixed time and record each latency under the request's class.
 */
final class Load {
  /** One request to send: a class name for the report, a method, a path and an optional body. */
  record Call(String kind, String method, String path, String body) {}

  /** Makes the {@code n}-th request of client {@code client}. */
  interface CallFactory {
    Call next(int client, long n);
  }

  /** What one run measured. */
  record Result(Map<String, Stats> latency, Map<String, AtomicLong> statuses, double seconds) {
    long count(String kind) {
      Stats stats = latency.get(kind);
      return stats == null ? 0 : stats.count();
    }

    double perSecond(String kind) {
      return count(kind) / seconds;
    }
  }

  static Result run(String baseUrl, int clients, Duration duration, CallFactory calls)
      throws InterruptedException {
    Map<String, Stats> latency = new ConcurrentHashMap<>();
    Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> threads = new ArrayList<>();
    long started = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                HttpClient http =
                    HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                Map<String, Stats> local = new java.util.HashMap<>();
                for (long n = 0; System.nanoTime() < end; n++) {
                  Call call = calls.next(client, n);
                  HttpRequest.BodyPublisher body =
                      call.body() == null
                          ? HttpRequest.BodyPublishers.noBody()
                          : HttpRequest.BodyPublishers.ofString(call.body());
                  HttpRequest request =
                      HttpRequest.newBuilder(URI.create(baseUrl + call.path()))
                          .timeout(Duration.ofSeconds(30))
                          .header("Authorization", "Bearer " + Service.API_KEY)
                          .header("Content-Type", "application/json")
                          .method(call.method(), body)
                          .build();
                  long t0 = System.nanoTime();
                  int status;
                  try {
                    status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                  } catch (Exception e) {
                    status = -1;
                  }
                  local.computeIfAbsent(call.kind(), k -> new Stats()).add(System.nanoTime() - t0);
                  statuses
                      .computeIfAbsent(call.kind() + " " + status, k -> new AtomicLong())
                      .incrementAndGet();
                }
                local.forEach((k, v) -> latency.computeIfAbsent(k, x -> new Stats()).addAll(v));
              },
              "load-" + c);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return new Result(latency, statuses, (System.nanoTime() - started) / 1e9);
  }

  /** A create body of about 1 KiB with a unique submission id. */
  static String createBody(String tenant, int client, long n) {
    return """
        {"source_type":"bench","field_id":"q1","field_type":"text","submission_id":"c%d-%d-%d",
         "tenant_id":"%s","user_id":"user-%d","source_id":"bench-source","source_name":"Benchmark",
         "field_label":"How was it?","language":"en","metadata":{"plan":"pro","region":"eu"},
         "value_text":"%s"}
        """
        .formatted(client, n, System.nanoTime(), tenant, n % 1000, "x".repeat(700));
  }
}
