package dev.segments.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages, driven through its chromedriver, with a new empty
 * profile and every feature that would reach for the network turned off. The viewer's time zone
 * is {@link #ZONE}, so that local times differ from UTC. Missing binaries fail the test loudly.
 */
final class Browser implements AutoCloseable {

    /** Debian's, unless -Dconsole.chromium and -Dconsole.chromedriver name others. */
    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
    /** UTC+05:30 all year: a local time never equals the UTC one. */
    static final String ZONE = "Asia/Kolkata";
    /** How long the browser may take to show what a step waits for; generous, as these machines are shared. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final ChromeDriver driver;
    private final Path profile;
    private final String base;

    Browser(String base) {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the console's browser tests need Chromium and its driver."
                        + " Install Debian's with: bash scripts/install-chromium.sh (apt-get install -y chromium chromium-driver)");
            }
        }
        this.base = base;
        try {
            profile = Files.createTempDirectory("console-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--disable-extensions", "--disable-default-apps", "--lang=en-US", "--window-size=1440,1000",
                "--user-data-dir=" + profile);
        // The page's own errors, to show beside a failed wait.
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withEnvironment(Map.of("TZ", ZONE)).build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(PATIENCE);
    }

    void open(String route) {
        driver.get(base + route);
    }

    /** Waits until the condition holds (a non-null, non-false answer) and returns its answer. */
    <T> T await(String what, Function<WebDriver, T> condition) {
        try {
            // The page redraws what it shows, so an element found a moment ago may be gone: look again.
            return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(50)).withMessage(what)
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } catch (TimeoutException e) {
            screenshot(Path.of("target", "console-screenshots"), "failed-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            String console = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(Object::toString)
                    .collect(Collectors.joining("\n"));
            throw new TimeoutException(e.getMessage() + "\nThe page's console:\n" + console, e);
        }
    }

    WebElement awaitVisible(By by) {
        return await(by + " shows", d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    WebElement awaitText(By by, String text) {
        return await(by + " shows \"" + text + "\"",
                d -> d.findElements(by).stream().filter(e -> e.getText().contains(text)).findFirst().orElse(null));
    }

    /** An element's text exactly as the DOM holds it (getText() would normalise white space and drop invisible characters). */
    static String textContent(WebElement element) {
        return element.getDomProperty("textContent");
    }

    Object script(String source, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(source, arguments);
    }

    /** Sets an input as a picker would, firing the input event the page listens to. */
    void setValue(WebElement input, String value) {
        script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", input, value);
    }

    void screenshot(Path folder, String name) {
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not save the screenshot " + name + ": " + e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // only cleanup of a temporary profile
            }
        }
    }
}
