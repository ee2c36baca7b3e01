package org.feedbackhub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps README's configuration tables true: every environment variable that {@code config.yml}
 * reads has a row there, and every row names a variable that {@code config.yml} reads.
 */
class ReadmeConfigurationTest {
  private static final Pattern CONFIG_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
  private static final Pattern TABLE_ROW_VARIABLE = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)`");

  @Test
  void everyConfigVariableHasItsRowAndEveryRowItsVariable() throws IOException {
    Set<String> read = matches(CONFIG_VARIABLE, Files.readString(Path.of("config.yml")));
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      // A row may name two variables ("`ADMIN_USER`, `ADMIN_PASSWORD`").
      if (TABLE_ROW_VARIABLE.matcher(line).find()) {
        String firstCell = line.substring(1, line.indexOf('|', 1));
        documented.addAll(matches(Pattern.compile("`([A-Z][A-Z0-9_]*)`"), firstCell));
      }
    }
    assertThat(documented).as("variables config.yml reads").containsAll(read);
    assertThat(read).as("variables README documents").containsAll(documented);
  }

  private static Set<String> matches(Pattern pattern, String text) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }
}
