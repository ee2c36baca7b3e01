package org.feedbackhub.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.feedbackhub.testing.HeldTenantLock;
import org.feedbackhub.testing.HubApp;
import org.feedbackhub.testing.TenantIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in real headless Chromium: it shows a queued purge, runs a purge through its form
 * with the confirmation step, and shows the result, the history row and the conflict counters
 * change. Runs only where Debian's chromium and chromium-driver are installed
 * (.ci/install-browser).
 */
class AdminConsoleBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  static final HubApp APP = HubApp.builder().set("tenantPurgeLockTimeoutSeconds", "60").build();

  @RegisterExtension static final DropwizardAppExtension<?> EXT = APP.extension();

  static WebDriver driver;
  static Path profile;

  @BeforeAll
  static void startBrowser() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs /usr/bin/chromium and /usr/bin/chromedriver (.ci/install-browser)");
    profile = Files.createTempDirectory("feedback-hub-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1280, 1700));
  }

  @AfterAll
  static void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  static void createRecords(String tenant, int n) {
    for (int i = 0; i < n; i++) {
      try (Response r =
          APP.post("/v1/feedback-records", PurgeTenantServletIT.record(tenant, "s" + i))) {
        assertThat(r.getStatus()).isEqualTo(201);
      }
    }
  }

  static long conflictsShown() {
    String text = driver.findElement(By.id("conflicts-total")).getText();
    return text.matches("\\d+") ? Long.parseLong(text) : -1;
  }

  @Test
  void showsAQueuedPurgeAndRunsAPurgeFromTheForm() throws Exception {
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    String busy = TenantIds.fresh("busy");
    String offboarded = TenantIds.fresh("offboarded");
    createRecords(busy, 1);
    createRecords(offboarded, 3);

    driver.get(APP.adminUrl() + "/console/");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "live"));
    assertThat(driver.getPageSource()).contains("tenant write conflicts");
    wait.until(d -> conflictsShown() >= 0);
    long conflictsBefore = conflictsShown();

    try (HeldTenantLock writer = HeldTenantLock.shared(busy)) {
      CompletableFuture<Integer> queuedPurge =
          CompletableFuture.supplyAsync(
              () ->
                  AdminHttp.delete(
                          APP.baseUrl() + "/v1/tenants/" + busy + "/data",
                          "Authorization",
                          "Bearer " + HubApp.API_KEY)
                      .status());
      By waitingRow = By.cssSelector("#lock-rows tr.waiting[data-tenant='" + busy + "']");
      wait.until(ExpectedConditions.presenceOfElementLocated(waitingRow));
      assertThat(driver.findElement(waitingRow).getAttribute("data-mode")).isEqualTo("exclusive");
      assertThat(driver.findElements(By.cssSelector("#tree li[data-pid='" + writer.pid() + "']")))
          .isNotEmpty();

      // a writer of the tenant under purge is refused: a tenant write conflict
      try (Response refused =
          APP.post("/v1/feedback-records", PurgeTenantServletIT.record(busy, "late"))) {
        assertThat(refused.getStatus()).isEqualTo(409);
      }
      wait.until(d -> conflictsShown() > conflictsBefore);

      driver.findElement(By.id("purge-tenant")).sendKeys(offboarded);
      driver.findElement(By.id("purge-review")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("purge-confirm")));
      assertThat(
              driver
                  .findElement(By.cssSelector("#confirm-counts td[data-count='feedback_records']"))
                  .getText())
          .isEqualTo("3");
      driver.findElement(By.id("purge-go")).click();
      wait.until(
          ExpectedConditions.textToBePresentInElementLocated(
              By.id("purge-result"), "Purged " + offboarded));
      assertThat(driver.findElement(By.id("purge-result")).getText())
          .contains("feedback records 3");
      wait.until(
          ExpectedConditions.presenceOfElementLocated(
              By.cssSelector("#history-rows tr[data-tenant='" + offboarded + "']")));

      Path screenshot = Path.of("target", "admin-console.png");
      Files.createDirectories(screenshot.getParent());
      Files.copy(
          ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath(),
          screenshot,
          StandardCopyOption.REPLACE_EXISTING);

      writer.close();
      assertThat(queuedPurge.get(30, TimeUnit.SECONDS)).isEqualTo(200);
    }
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#lock-rows tr.waiting"), 0));
  }
}
