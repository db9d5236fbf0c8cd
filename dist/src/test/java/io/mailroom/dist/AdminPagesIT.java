package io.mailroom.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin workspace in a real browser (Debian's headless chromium) against a whole Mailroom
 * with the packaged IMAP plugin and a GreenMail mailbox: sign in, a mailbox made through the
 * form, a field's error, sync now, messages and threads, a hostile message that can run and load
 * nothing, another user who sees none of it, sign out. Screenshots of the pages go to
 * {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPagesIT {

    private static final String ADDRESS = "support@example.com";

    Path dir;
    GreenMail greenMail;
    RequestRecorder remote;
    TestMailroom mailroom;
    ApiClient admin;
    BrowserSession browser;
    long mailboxId;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        this.dir = dir;
        greenMail = new GreenMail(new ServerSetup[]{ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.SMTP.dynamicPort()});
        greenMail.start();
        // a "remote" server for the hostile message's image and script: it must never be asked
        remote = RequestRecorder.start();
        seedMail();
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic");
        mailroom = TestMailroom.start(dir);
        admin = mailroom.admin();
        browser = BrowserSession.start("http://127.0.0.1:" + mailroom.mailroom().port(), dir);
    }

    @AfterAll
    void stop() {
        try (AutoCloseable b = browser; AutoCloseable m = mailroom; AutoCloseable r = remote) {
            greenMail.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void seedMail() {
        GreenMailUser user = greenMail.setUser(ADDRESS, ADDRESS, "secret");
        String remoteBase = remote.base();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusHours(2));
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: Ada Customer <ada@acme.example>
                To: support@example.com
                Subject: Order 1234 has not arrived
                Message-ID: <order-1234@acme.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                Hello, my order 1234 has not arrived yet. Can you check?
                """.formatted(date).replace("\n", "\r\n")));
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: Ada Customer <ada@acme.example>
                To: support@example.com
                Subject: Re: Order 1234 has not arrived
                Message-ID: <order-1234-2@acme.example>
                In-Reply-To: <order-1234@acme.example>
                References: <order-1234@acme.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                Any news about order 1234?
                """.formatted(date).replace("\n", "\r\n")));
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: Deals <deals@news.example>
                To: support@example.com
                Subject: Hostile newsletter
                Message-ID: <hostile@news.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: text/html; charset=utf-8

                <html><body>
                <h1>Big sale today</h1>
                <script>document.title = 'pwned'; new Image().src = '%s/script';</script>
                <p>Tracked: <img alt="tracker" src="%s/pixel.gif"></p>
                <img src="x" onerror="new Image().src = '%s/onerror'">
                <div style="background-image: url(%s/css)">styled</div>
                <a href="javascript:new Image().src='%s/link'">click</a>
                </body></html>
                """.formatted(date, remoteBase, remoteBase, remoteBase, remoteBase, remoteBase).replace("\n", "\r\n")));
    }

    @Test
    @Order(1)
    void signs_in_with_a_token() {
        browser.open("/admin/");
        browser.heading("Sign in");
        browser.screenshot("01-sign-in");
        browser.type("API token", "not-a-token");
        browser.click("Sign in");
        assertThat(browser.visible(By.cssSelector("[data-path='token'] .field-error")).getText()).contains("not valid");

        // by keyboard: Enter in the field signs in
        browser.type("API token", mailroom.adminToken() + org.openqa.selenium.Keys.ENTER);

        browser.heading("Mailboxes");
        assertThat(browser.driver.findElement(By.id("who")).getText()).contains("superadmin");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(mailroom.adminToken());
    }

    @Test
    @Order(2)
    void a_server_error_is_shown_at_the_field_it_names() {
        browser.click("New mailbox");
        browser.heading("New mailbox");
        browser.type("Name", "Support");
        browser.type("Email address", ADDRESS);
        browser.type("Host", "127.0.0.1");
        browser.type("Port", "70000");
        browser.type("Username", ADDRESS);
        browser.type("Password", "secret");
        browser.click("Create mailbox");

        WebElement error = browser.visible(By.cssSelector(".field[data-path='settings.port'] .field-error"));
        assertThat(error.getText()).contains("port");
        assertThat(browser.field("Port").getAttribute("aria-invalid")).isEqualTo("true");

        // the filter editor asks the API and shows the fault at its path
        browser.type("Filter (JSON filter DSL)", "{\"all\": [{\"field\": \"subject\", \"op\": \"no_such_op\", \"value\": \"x\"}]}");
        browser.click("Validate filter");
        WebElement filterError = browser.visible(By.cssSelector(".field[data-path='filter_query'] .field-error"));
        assertThat(filterError.getText()).contains("filter_query.all[0]");
        browser.screenshotHere("02-mailbox-form-errors");
        browser.field("Filter (JSON filter DSL)").clear();
    }

    @Test
    @Order(3)
    void creates_a_mailbox_against_greenmail_through_the_form() {
        browser.type("Port", Integer.toString(greenMail.getImap().getPort()));
        new Select(browser.field("Security")).selectByValue("none");
        browser.type("Password", "secret");
        browser.type("Schedule (Quartz cron, with seconds)", "0 */10 * * * ?" + org.openqa.selenium.Keys.TAB);
        assertThat(browser.visible(By.cssSelector(".next-runs")).getText()).startsWith("Next runs: ");
        browser.click("Create mailbox");

        browser.heading("Support");
        mailboxId = Long.parseLong(browser.driver.getCurrentUrl().replaceAll(".*#/mailboxes/(\\d+).*", "$1"));
        JsonNode saved = admin.get("/api/mailboxes/" + mailboxId).json();
        assertThat(saved.at("/settings/host").asText()).isEqualTo("127.0.0.1");
        assertThat(saved.at("/settings/password_set").asBoolean()).isTrue();

        browser.click("Test connection");
        assertThat(browser.visible(By.id("test-result")).getText()).contains("Connected", "INBOX");
        // the folder picker is filled from the server
        assertThat(browser.visible(By.cssSelector("input[name='folder'][value='INBOX']")).isSelected()).isTrue();
        assertThat(browser.field("Password").getAttribute("placeholder")).contains("set");

        // saving again keeps the password it does not show
        browser.type("Priority", "5");
        browser.click("Save");
        browser.waiting().until(ExpectedConditions.textToBe(By.id("status"), "Saved."));
        JsonNode changed = admin.get("/api/mailboxes/" + mailboxId).json();
        assertThat(changed.get("priority").asInt()).isEqualTo(5);
        assertThat(changed.at("/settings/password_set").asBoolean()).isTrue();
        assertThat(changed.get("schedule").asText()).isEqualTo("0 */10 * * * ?");
    }

    @Test
    @Order(4)
    void syncs_now_and_shows_the_messages() {
        browser.click("Sync now");
        browser.waiting().until(ExpectedConditions.textMatches(By.id("sync-progress-text"), java.util.regex.Pattern.compile("Sync (ok|partial)")));
        assertThat(browser.driver.findElement(By.id("sync-progress-text")).getText()).contains("stored 3");
        browser.visible(By.xpath("//section[@id='polls']//td[normalize-space(.)='3']"));
        browser.screenshot("03-mailbox");

        browser.click("Messages");
        browser.heading("Messages");
        browser.visible(By.linkText("Hostile newsletter"));
        assertThat(browser.driver.findElements(By.linkText("Order 1234 has not arrived"))).hasSize(1);
        browser.screenshot("04-messages");
    }

    @Test
    @Order(5)
    void opens_a_thread_oldest_first() {
        browser.open("/admin/#/threads?mailbox_id=" + mailboxId);
        browser.heading("Threads");
        browser.visible(By.linkText("Order 1234 has not arrived")).click();

        browser.heading("Order 1234 has not arrived");
        List<WebElement> messages = browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("article.message"), 2));
        assertThat(messages.get(0).getText()).contains("has not arrived yet");
        assertThat(messages.get(1).getText()).contains("Any news");
        browser.screenshot("05-thread");
    }

    @Test
    @Order(6)
    void a_hostile_message_runs_no_script_and_loads_no_remote_image() {
        browser.open("/admin/#/messages?mailbox_id=" + mailboxId);
        browser.visible(By.linkText("Hostile newsletter")).click();
        browser.heading("Hostile newsletter");
        WebElement frame = browser.visible(By.cssSelector("iframe.message-frame"));
        assertThat(frame.getAttribute("sandbox")).isEmpty();

        browser.driver.switchTo().frame(frame);
        assertThat(browser.visible(By.tagName("h1")).getText()).isEqualTo("Big sale today");
        WebElement tracker = browser.driver.findElement(By.cssSelector("img[alt=tracker]"));
        assertThat(tracker.getAttribute("src")).contains("/pixel.gif"); // kept by the sanitizer: the policy blocks it
        // the browser is done with the image (it gave up on it), and it has nothing to show
        browser.waiting().until(driver -> "true".equals(tracker.getDomProperty("complete")));
        assertThat(tracker.getDomProperty("naturalWidth")).isEqualTo("0");
        browser.driver.switchTo().defaultContent();

        browser.click("Raw source");
        assertThat(browser.visible(By.cssSelector("pre.raw")).getText()).contains("<script>");
        browser.screenshot("06-hostile-message");

        assertThat(browser.driver.getTitle()).doesNotContain("pwned");
        assertThat(remote.requests()).isEmpty();
    }

    @Test
    @Order(7)
    void every_page_renders() {
        admin.post("/api/companies", Map.of("name", "Acme", "domains", List.of("acme.example")));
        admin.post("/api/templates", Map.of("name", "Thanks", "subject", "Re: {{subject}}", "text", "Thank you, {{name}}."));
        String[][] pages = {{"mailboxes", "Mailboxes"}, {"quarantine", "Quarantine"}, {"templates", "Templates"},
            {"contacts", "Contacts"}, {"companies", "Companies"}, {"plugins", "Plugins"}, {"providers", "OAuth providers"},
            {"users", "Users"}, {"tokens", "Tokens"}, {"notifications", "Notifications"}, {"statistics", "Statistics"}};
        for (String[] page : pages) {
            browser.open("/admin/#/" + page[0]);
            browser.heading(page[1]);
            browser.screenshot("07-" + page[0]);
        }
        browser.open("/admin/#/plugins");
        browser.visible(By.xpath("//td[contains(., 'imap')]"));
        browser.open("/admin/#/statistics");
        browser.visible(By.cssSelector(".stats-table svg.day-bars"));

        browser.open("/api/docs");
        browser.visible(By.cssSelector(".swagger-ui .info"));
        assertThat(browser.driver.findElement(By.cssSelector(".swagger-ui .info")).getText()).contains("Mailroom");
        browser.screenshot("08-api-docs");

        browser.driver.manage().window().setSize(new Dimension(390, 844));
        browser.open("/admin/#/mailboxes/" + mailboxId);
        browser.heading("Support");
        browser.screenshot("09-mailbox-phone");
        browser.open("/admin/#/mailboxes");
        browser.heading("Mailboxes");
        browser.screenshot("09-mailboxes-phone");
        browser.driver.manage().window().setSize(new Dimension(1280, 1000));
        browser.open("/admin/#/mailboxes");
        browser.heading("Mailboxes");
        browser.screenshot("01-mailboxes");
    }

    @Test
    @Order(8)
    void signs_out_and_the_token_is_gone() {
        browser.open("/admin/#/mailboxes");
        browser.heading("Mailboxes");
        browser.click("Sign out");

        browser.heading("Sign in");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        browser.driver.navigate().refresh();
        browser.heading("Sign in");
    }

    @Test
    @Order(9)
    void a_user_sees_only_their_own_mailboxes_and_no_superadmin_pages() {
        long userId = admin.post("/api/users", Map.of("name", "Bea", "email", "bea@example.com", "role", "user")).json().get("id").asLong();
        String token = admin.post("/api/tokens", Map.of("user_id", userId, "name", "browser")).json().get("token").asText();

        // a token handed over in the fragment (as the demo prints it) is taken once and cleared from the address
        browser.open("/admin/#token=" + token);
        browser.heading("Mailboxes");
        assertThat(browser.driver.getCurrentUrl()).doesNotContain(token);
        assertThat(browser.driver.findElement(By.id("who")).getText()).contains("Bea");
        assertThat(browser.driver.findElements(By.linkText("Support"))).isEmpty();
        assertThat(browser.driver.findElement(By.id("main")).getText()).contains("No mailboxes yet");
        List<String> sections = browser.driver.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
        assertThat(sections).contains("Mailboxes", "Tokens").doesNotContain("Users", "Plugins", "OAuth providers", "Companies");

        browser.open("/admin/#/mailboxes/" + mailboxId);
        assertThat(browser.visible(By.cssSelector("main .form-error")).getText()).contains("Not found");
        browser.open("/admin/#/messages/" + admin.get("/api/messages?mailbox_id=" + mailboxId).json().at("/items/0/id").asLong());
        assertThat(browser.visible(By.cssSelector("main .form-error")).getText()).contains("Not found");
        browser.click("Sign out");
        browser.heading("Sign in");
    }
}
