package io.mailroom.dist;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Debian's headless chromium, driven through Debian's chromium-driver ({@code .mvn/install-chromium}
 * installs both): the driver and the browser are named, so Selenium Manager never runs and nothing
 * is downloaded. The browser is kept on loopback: every other host name resolves to nothing and
 * would go to a proxy that does not exist, and its background services are off.
 */
final class BrowserSession implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of(System.getProperty("mailroom.screenshots", "target/screenshots"));

    final ChromeDriver driver;
    final String base;

    private BrowserSession(ChromeDriver driver, String base) {
        this.driver = driver;
        this.base = base;
    }

    static BrowserSession start(String base, Path dir) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver:"
                    + " sudo apt-get install -y chromium chromium-driver (.mvn/install-chromium does it as root)");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            Path home = Files.createDirectories(dir.resolve("browser-home"));
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--user-data-dir=" + dir.resolve("browser-profile"),
                    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                    "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                    "--metrics-recording-only", "--disable-breakpad",
                    "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
                    // nothing but loopback: no name resolves, and a request to any other address has nowhere to go
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .withEnvironment(Map.of("HOME", home.toString()))
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new BrowserSession(driver, base);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void open(String path) {
        driver.get(base + path);
    }

    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    WebElement visible(By by) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits for the page heading to read {@code title}. */
    WebElement heading(String title) {
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("main h1"), title));
        return driver.findElement(By.cssSelector("main h1"));
    }

    /** The labelled input of a field, found by its label's text as a person would. */
    WebElement field(String label) {
        WebElement labelled = visible(By.xpath("//label[normalize-space(text())='" + label + "']"));
        return driver.findElement(By.id(labelled.getAttribute("for")));
    }

    void type(String label, String text) {
        WebElement input = field(label);
        input.clear();
        input.sendKeys(text);
    }

    void click(String buttonText) {
        waiting().until(ExpectedConditions.elementToBeClickable(
                By.xpath("//*[self::button or self::a][normalize-space(.)='" + buttonText + "']"))).click();
    }

    /** A screenshot of the top of the page. */
    void screenshot(String name) {
        script("window.scrollTo(0, 0)");
        screenshotHere(name);
    }

    /** A screenshot of where the page is scrolled to (an error next to its field). */
    void screenshotHere(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
