package org.feedbackhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import org.feedbackhub.testing.Reply;

/**
 * The case runner and the response contract shared by the hostile-input tests: seeded cases that
 * name their inputs on failure, and the properties every answer to hostile input must have.
 */
final class HostileCases {
  static final long DEFAULT_SEED = 20_240_611L;

  /** {@code -Dhostile.seed=S} replays a failure; the default keeps CI runs reproducible. */
  static final long SEED = Long.getLong("hostile.seed", DEFAULT_SEED);

  private HostileCases() {}

  /** One generated case: its own seeded {@link Random}, and the inputs drawn from it so far. */
  static final class Case {
    final Random random;
    final Map<String, String> inputs = new LinkedHashMap<>();

    Case(Random random) {
      this.random = random;
    }

    <T> T draw(String label, Gen<T> gen) {
      T value = gen.next(random);
      inputs.put(label, abbreviate(String.valueOf(value)));
      return value;
    }
  }

  /** Prints the seed once per test class, so a log shows how to replay it. */
  static void announce(Class<?> testClass) {
    System.out.printf(
        "%s seed=%d (replay: -Dhostile.seed=%d)%n", testClass.getSimpleName(), SEED, SEED);
  }

  /**
   * Runs {@code body} for {@code cases} generated cases; a failure names the seed, the case and its
   * inputs (case {@code i} of test {@code t} always draws the same inputs for the same seed).
   */
  static void forEachCase(Class<?> testClass, String test, int cases, Consumer<Case> body) {
    for (int i = 0; i < cases; i++) {
      Case c = new Case(new Random((SEED * 1_000_003L + test.hashCode()) * 1_000_003L + i));
      try {
        body.accept(c);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            String.format(
                "%s case %d of %d failed [hostile.seed=%d; replay: -Dhostile.seed=%d"
                    + " -Dtest='%s#%s'] inputs %s: %s",
                test,
                i,
                cases,
                SEED,
                SEED,
                testClass.getSimpleName(),
                test,
                c.inputs,
                e.getMessage()),
            e);
      }
    }
  }

  /**
   * Never a 5xx or a transport failure; a documented status; problem+json on every 4xx, with the
   * documented {@code code} for its status (spec section 3.2: any other 4xx is {@code
   * bad_request}).
   */
  static void assertContract(Reply reply, Set<Integer> allowed) {
    assertThat(reply.status()).as("status; body %s", abbreviate(reply.body())).isIn(allowed);
    if (reply.status() >= 400) {
      assertThat(reply.contentType()).startsWith("application/problem+json");
      JsonNode problem = reply.json();
      assertThat(problem.path("status").asInt()).isEqualTo(reply.status());
      assertThat(problem.path("code").asText())
          .as("code of a %d; body %s", reply.status(), abbreviate(reply.body()))
          .isIn(CODES.getOrDefault(reply.status(), Set.of("bad_request")));
      assertThat(problem.path("request_id").asText()).isNotEmpty();
    }
  }

  /** The documented problem codes of each 4xx status. */
  private static final Map<Integer, Set<String>> CODES =
      Map.of(
          400, Set.of("validation", "bad_request"),
          401, Set.of("unauthorized"),
          403, Set.of("forbidden"),
          404, Set.of("not_found"),
          405, Set.of("method_not_allowed"),
          409, Set.of("conflict", "tenant_write_conflict"),
          413, Set.of("content_too_large"));

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
