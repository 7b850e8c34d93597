package org.hedgerow.coordinator.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real, headless Chromium driven by Selenium for the browser tests (tagged {@code browser}): Debian's
 * {@code chromium} and {@code chromium-driver} packages, which {@code .ci/run} installs. The driver
 * is named explicitly, so Selenium Manager never looks for (or downloads) one; every session gets a
 * fresh profile and the flags that keep Chromium from calling home.
 *
 * <p>Without Chromium the tests are skipped, except under {@code CI=true}, where they fail: CI must
 * run them.
 */
public final class HeadlessChromium implements AutoCloseable {
  /** Where the binaries are looked for; {@code HEDGEROW_CHROMIUM} / {@code HEDGEROW_CHROMEDRIVER} override. */
  static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium");
  static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Starts a browser session.
   *
   * @param acceptInsecureCerts accept the test coordinator's self-made CA for this session only
   */
  public static HeadlessChromium start(boolean acceptInsecureCerts) throws IOException {
    String browser = find("HEDGEROW_CHROMIUM", BROWSERS);
    String chromedriver = find("HEDGEROW_CHROMEDRIVER", DRIVERS);
    Path profile = Files.createTempDirectory("hedgerow-chromium-");
    ChromeOptions o = new ChromeOptions();
    o.setBinary(browser);
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-default-apps", "--disable-extensions", "--window-size=1280,2200", "--user-data-dir=" + profile);
    o.setAcceptInsecureCerts(acceptInsecureCerts);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
        .usingAnyFreePort().withTimeout(Duration.ofSeconds(120)).build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(d, profile);
  }

  private static String find(String env, List<String> candidates) {
    String given = System.getenv(env);
    if (given != null && !given.isBlank()) {
      Assertions.assertTrue(Files.isExecutable(Path.of(given)), env + "=" + given + " is not an executable");
      return given;
    }
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    String why = "no Chromium here (looked for " + candidates + ", or set " + env + "): apt-get install chromium "
        + "chromium-driver";
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(why + " — CI must run the browser tests");
    }
    Assumptions.abort(why);
    return null;
  }

  public ChromeDriver driver() {
    return driver;
  }

  /**
   * Polls {@code condition} every 100 ms until it holds (then returns) or {@code timeout} passes (then
   * fails naming {@code what}, with the page's visible text). Exceptions from the page (an element not
   * there yet) count as "not yet".
   */
  public void waitFor(String what, Duration timeout, java.util.function.Predicate<ChromeDriver> condition)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < end) {
      try {
        if (condition.test(driver)) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      Thread.sleep(100);
    }
    String page;
    try {
      page = driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
    } catch (RuntimeException e) {
      page = "(unreadable: " + e + ")";
    }
    Assertions.fail("timed out after " + timeout + " waiting for " + what + (last != null ? " (last error: " + last
        + ")" : "") + "; the page shows:\n" + page);
  }

  /** Saves a screenshot of the window as {@code dir/name.png} (dir created) and returns its path. */
  public Path screenshot(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(name + ".png");
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
