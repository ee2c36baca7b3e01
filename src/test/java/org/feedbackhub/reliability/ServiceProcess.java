package org.feedbackhub.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.HubApplication;
import org.feedbackhub.testing.FreePorts;
import org.feedbackhub.testing.HubApp;

/**
 * feedback-hub as a separate JVM ({@code HubApplication server config.yml}) on the test's class
 * path, configured through environment variables as in production, so a test can {@code kill -9}
 * it. Its output goes to a file under {@code target/}; {@link #close()} always kills it.
 */
final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;

  private ServiceProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the service with {@code settings} (environment variables over {@code config.yml}) on
   * free ports, and waits (bounded) until it answers {@code /health}.
   *
   * @implNote Surefire may put a manifest-only booter jar on {@code java.class.path}; the child JVM
   *     follows that jar's {@code Class-Path} manifest entry like any other, so the same value
   *     works.
   */
  static ServiceProcess start(String name, Map<String, String> settings) throws IOException {
    int port = FreePorts.any();
    Path log = Path.of("target", "service-process", name + "-" + port + ".log");
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(HubApplication.class.getName());
    command.add("server");
    command.add("config.yml");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(Path.of("").toAbsolutePath().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("API_KEY", HubApp.API_KEY);
    env.put("PORT", Integer.toString(port));
    env.put("ADMIN_PORT", Integer.toString(FreePorts.any()));
    env.put("LOG_LEVEL", "WARN");
    env.putAll(settings);
    ServiceProcess service = new ServiceProcess(builder.start(), log, port);
    try {
      service.awaitHealthy();
    } catch (RuntimeException e) {
      service.close();
      throw new IllegalStateException(
          "the service did not start; its output:\n" + service.output(), e);
    }
    return service;
  }

  private void awaitHealthy() {
    Api api = new Api(baseUrl());
    await("the service process answers /health")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue());
              }
              return api.get("/health").status() == 200;
            });
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no graceful close; returns the exit code once it has exited. */
  int killHard() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the service process survived SIGKILL for 30 s");
    }
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
