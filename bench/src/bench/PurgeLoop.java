package bench;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Purges prepared tenants through the API one after another, on its own thread, until closed. When
 * it runs out of prepared tenants it refills the next one with 10k records before purging it, and
 * says so through {@link #refilled()}: a refill inside a measured window is load the window was not
 * meant to carry.
 */
final class PurgeLoop implements AutoCloseable {
  static final int RECORDS = 10_000;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger purges = new AtomicInteger();
  private final int prepared;
  private volatile boolean refilled;
  private final Thread thread;
  private volatile Exception failure;

  /** Starts purging {@code tenants} (each filled with {@link #RECORDS} records beforehand). */
  PurgeLoop(Service service, String databaseUri, List<String> tenants) {
    prepared = tenants.size();
    thread = new Thread(() -> loop(service, databaseUri, tenants), "purge-loop");
    thread.start();
  }

  private void loop(Service service, String databaseUri, List<String> tenants) {
    HttpClient http = HttpClient.newHttpClient();
    try (Fixtures own = new Fixtures(databaseUri)) {
      for (int next = 0; !stop.get(); next++) {
        String tenant = tenants.get(next % tenants.size());
        if (next >= prepared) {
          refilled = true;
          own.fill(tenant, RECORDS, false);
        }
        HttpResponse<Void> response =
            http.send(service.purgeRequest(tenant), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              "purge of " + tenant + " answered " + response.statusCode());
        }
        purges.incrementAndGet();
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  /** Whether the loop ran out of prepared tenants and refilled some. */
  boolean refilled() {
    return refilled;
  }

  /** Stops after the purge in flight and returns how many purges completed. */
  int stop() throws Exception {
    stop.set(true);
    thread.join();
    if (failure != null) {
      throw failure;
    }
    return purges.get();
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
