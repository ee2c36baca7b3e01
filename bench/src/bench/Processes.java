package bench;

import java.io.IOException;
import java.util.List;

/** Runs the load tools (wrk, pgbench) as child processes. */
final class Processes {
  private Processes() {}

  /** Runs {@code command} to its end and returns what it printed, stdout and stderr together. */
  static String output(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }
}
