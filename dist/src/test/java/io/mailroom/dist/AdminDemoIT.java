package io.mailroom.dist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first five minutes in a real browser: {@code bin/mailroom serve --demo} of the packaged
 * installation starts, and the admin URL it prints opens the workspace signed in, with the seeded
 * messages, the quarantined message and the tickets the ticketing sink made of the seed.
 */
class AdminDemoIT {

    private static final Path DIST = Path.of(System.getProperty("mailroom.dist", "target/mailroom"));
    /** Generous: the first start unpacks PostgreSQL; a busy machine is slow. Not a timing claim. */
    private static final Duration READY = Duration.ofMinutes(4);

    @Test
    void the_demo_starts_and_its_printed_url_shows_messages_quarantine_and_tickets(@TempDir Path work) throws Exception {
        int httpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            httpPort = socket.getLocalPort();
        }
        Path out = work.resolve("demo.log");
        Path err = work.resolve("demo.err.log");
        ProcessBuilder builder = new ProcessBuilder(DIST.resolve("bin/mailroom").toString(), "serve", "--demo");
        builder.environment().keySet().removeIf(name -> name.startsWith("MAILROOM_"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("MAILROOM_DATA_DIR", work.resolve("data").toString());
        builder.environment().put("MAILROOM_HTTP_PORT", Integer.toString(httpPort));
        builder.directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process demo = builder.start();
        try {
            String printed = awaitWelcome(demo, out, err);
            Matcher url = Pattern.compile("(http://localhost:\\d+)(/admin/#token=mr_[A-Za-z0-9_-]+)").matcher(printed);
            assertThat(url.find()).as(printed).isTrue();
            try (BrowserSession browser = BrowserSession.start(url.group(1), work)) {
                browser.open(url.group(2));
                browser.heading("Mailboxes");
                assertThat(browser.visible(By.cssSelector("main table")).getText()).contains("Northwind Support");
                browser.screenshot("20-demo-mailboxes");

                browser.click("Messages");
                browser.heading("Messages");
                assertThat(browser.driver.findElements(By.cssSelector("main table tbody tr")).size()).isGreaterThanOrEqualTo(5);
                browser.screenshot("21-demo-messages");

                browser.click("Quarantine");
                browser.heading("Quarantine");
                assertThat(browser.visible(By.cssSelector("main table")).getText()).contains("no header section");
                browser.screenshot("22-demo-quarantine");

                browser.click("Tickets");
                browser.heading("Tickets");
                // the ticketing sink files the seed after the first sync: at least one ticket, a link per ticket
                By ticketLink = By.cssSelector("main table a[href^='#/tickets/']");
                browser.waiting().withTimeout(Duration.ofSeconds(60)).until(driver -> {
                    if (driver.findElements(ticketLink).isEmpty()) {
                        driver.navigate().refresh();
                        browser.heading("Tickets");
                    }
                    return !driver.findElements(ticketLink).isEmpty();
                });
                String ref = browser.visible(ticketLink).getText();
                assertThat(ref).startsWith("TCK-");
                browser.screenshot("23-demo-tickets");
                browser.click(ref);
                browser.visible(By.cssSelector("article.message"));
                assertThat(browser.driver.findElement(By.cssSelector("main h1")).getText()).startsWith(ref + ": ");
                browser.screenshot("24-demo-ticket");
            }
        } finally {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.descendants().forEach(ProcessHandle::destroyForcibly);
                demo.destroyForcibly().waitFor();
            }
        }
    }

    /** The welcome is printed once, after the first sync: wait for its last line. */
    private static String awaitWelcome(Process demo, Path out, Path err) throws Exception {
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(out) ? Files.readString(out) : "";
            if (text.contains("Stop with Ctrl-C.")) {
                return text;
            }
            if (!demo.isAlive()) {
                throw new AssertionError("serve --demo exited with " + demo.exitValue() + "\n" + logs(out, err));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("serve --demo printed no welcome within " + READY + "\n" + logs(out, err));
    }

    private static String logs(Path out, Path err) throws IOException {
        return "--- stdout\n" + (Files.exists(out) ? Files.readString(out) : "")
                + "--- stderr\n" + (Files.exists(err) ? Files.readString(err) : "");
    }
}
