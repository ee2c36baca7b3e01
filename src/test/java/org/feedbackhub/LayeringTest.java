package org.feedbackhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering of feedback-hub, written once and checked against the {@code import} lines of the
 * main code (no application start, no database). Imports run one way: resources -&gt; core -&gt; db
 * / tenant; the composition root (the root package) may import anything.
 *
 * <p>Every rule is a package and the packages of ours it must not import. A failure names the file,
 * the line and the rule it breaks.
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src/main/java/org/feedbackhub");

  /** Every package of ours below the root, so "imports nothing of ours" can be spelled out. */
  private static final Set<String> ALL =
      Set.of(
          "admin",
          "api",
          "core",
          "db",
          "embeddings",
          "enrichment",
          "errors",
          "events",
          "http",
          "jobs",
          "modules",
          "resources",
          "tenant");

  /**
   * The forbidden edges: for each package, the packages of ours it must not import.
   *
   * <ul>
   *   <li>Nothing imports {@code resources}: the JAX-RS layer is a leaf that only the composition
   *       root registers.
   *   <li>{@code db} (the DAOs) knows no services, no resources and no HTTP.
   *   <li>{@code tenant} (the lock module) depends on nothing of ours: it is the single source of
   *       truth everything else builds on.
   *   <li>{@code jobs} (the job queue over {@code outbox_messages}) depends on nothing of ours
   *       either: DAOs embed its enqueue fragment, workers drive its claims.
   *   <li>{@code enrichment} (the LLM providers and their settings) depends on nothing of ours.
   *   <li>{@code core} (the services) knows neither HTTP nor resources nor the admin port.
   *   <li>{@code modules} (one factory per capability) belongs to the composition root: it may
   *       import everything, and nothing but the root imports it.
   *   <li>The main port's code ({@code resources}, {@code http}, {@code errors}) imports nothing of
   *       the admin port, so no admin servlet, filter or feed is registered on the main port.
   * </ul>
   */
  private static final Map<String, Set<String>> FORBIDDEN =
      Map.of(
          "admin", Set.of("resources"),
          "api", Set.of("resources"),
          "core", Set.of("resources", "http", "admin"),
          "db", Set.of("core", "resources", "http", "admin"),
          "embeddings", Set.of("resources"),
          "errors", Set.of("resources", "admin"),
          "events", Set.of("resources"),
          "http", Set.of("resources", "admin"),
          "modules", Set.of(),
          "resources", Set.of("admin"));

  /**
   * The capability factories ({@code modules}) are the composition root's: they may import every
   * package, and only the root imports them.
   */
  private static final Set<String> COMPOSITION = Set.of("modules");

  private static final Set<String> IMPORTS_NOTHING_OF_OURS = Set.of("tenant", "jobs", "enrichment");

  private static final Pattern OUR_IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?org\\.feedbackhub\\.([a-z]+)\\.");

  /**
   * The admin port has no Jersey: its code can never be a resource or provider of the main port.
   */
  private static final Pattern JAX_RS_IMPORT = Pattern.compile("^import\\s+jakarta\\.ws\\.rs\\.");

  @Test
  void noMainFileImportsAcrossAForbiddenEdge() {
    List<String> violations = new ArrayList<>();
    for (Path file : mainFiles()) {
      String from = packageOf(file);
      if (from == null) {
        continue; // the composition root wires everything
      }
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        Matcher m = OUR_IMPORT.matcher(lines.get(i).trim());
        if (!m.find()) {
          continue;
        }
        String to = m.group(1);
        boolean forbidden =
            IMPORTS_NOTHING_OF_OURS.contains(from)
                ? !to.equals(from)
                : FORBIDDEN.getOrDefault(from, Set.of()).contains(to)
                    || (COMPOSITION.contains(to) && !COMPOSITION.contains(from));
        if (forbidden) {
          violations.add(where(file, i) + " " + from + " -> " + to);
        }
      }
    }
    assertThat(violations).as("imports against the layering").isEmpty();
  }

  @Test
  void theAdminPortsCodeIsNoJerseyComponent() {
    List<String> violations = new ArrayList<>();
    for (Path file : mainFiles()) {
      if (!"admin".equals(packageOf(file))) {
        continue;
      }
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (JAX_RS_IMPORT.matcher(lines.get(i).trim()).find()) {
          violations.add(where(file, i) + " " + lines.get(i).trim());
        }
      }
    }
    assertThat(violations).as("admin code that could be registered on the API port").isEmpty();
  }

  @Test
  void everyPackageIsNamedInTheRules() {
    // A new package must be placed in the layering on purpose, not slip past every rule.
    List<String> packages = new ArrayList<>();
    for (Path file : mainFiles()) {
      String pkg = packageOf(file);
      if (pkg != null && !packages.contains(pkg)) {
        packages.add(pkg);
      }
    }
    assertThat(ALL).containsAll(packages);
    for (String pkg : packages) {
      assertThat(FORBIDDEN.containsKey(pkg) || IMPORTS_NOTHING_OF_OURS.contains(pkg))
          .as("package %s has a layering rule", pkg)
          .isTrue();
    }
  }

  /** The first package below the root, or null for the root itself. */
  private static String packageOf(Path file) {
    Path relative = MAIN.relativize(file);
    return relative.getNameCount() == 1 ? null : relative.getName(0).toString();
  }

  private static String where(Path file, int index) {
    return MAIN.relativize(file) + ":" + (index + 1);
  }

  private static List<Path> mainFiles() {
    try (Stream<Path> files = Files.walk(MAIN)) {
      List<Path> java = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
      assertThat(java).as("main sources under " + MAIN.toAbsolutePath()).isNotEmpty();
      return java;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
