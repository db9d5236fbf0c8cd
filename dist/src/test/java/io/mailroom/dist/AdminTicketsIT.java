package io.mailroom.dist;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailroom.host.ApiClient;
import io.mailroom.host.TestMailroom;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tickets in a real browser: a mailbox with the packaged {@code ticketing} sink against GreenMail
 * (IMAP and SMTP); a customer's mail becomes a ticket on the Tickets page, the admin opens it and
 * replies from the page, and the reply arrives at GreenMail with the ticket's reference in its
 * subject.
 */
class AdminTicketsIT {

    private static final String ADDRESS = "support@example.com";

    @Test
    void replies_to_a_ticket_from_the_page_and_the_reply_arrives(@TempDir Path dir) throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup[]{ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.SMTP.dynamicPort()});
        greenMail.start();
        GreenMailUser user = greenMail.setUser(ADDRESS, ADDRESS, "secret");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().minusHours(1));
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: Ada Customer <ada@acme.example>
                To: support@example.com
                Subject: Printer on fire
                Message-ID: <printer-1@acme.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                The printer on the second floor is on fire. Please help.
                """.formatted(date).replace("\n", "\r\n")));
        // left on the server by the mailbox's filter (only acme.example is taken): the page's "Take" fetches it
        user.deliver(GreenMailUtil.newMimeMessage("""
                From: Deals <deals@news.example>
                To: support@example.com
                Subject: Weekly deals
                Message-ID: <deals-1@news.example>
                Date: %s
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8

                Everything must go.
                """.formatted(date).replace("\n", "\r\n")));
        InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic", "ticketing");
        try (TestMailroom mailroom = TestMailroom.start(dir);
             BrowserSession browser = BrowserSession.start("http://127.0.0.1:" + mailroom.mailroom().port(), dir)) {
            ApiClient admin = mailroom.admin();
            Map<String, Object> body = new HashMap<>(Map.of("name", "Support", "email", ADDRESS, "source", "imap",
                    "settings", Map.of("host", "127.0.0.1", "port", greenMail.getImap().getPort(), "security", "none",
                            "username", ADDRESS, "password", "secret"),
                    "smtp", Map.of("host", "127.0.0.1", "port", greenMail.getSmtp().getPort(), "security", "none",
                            "save_sent", false),
                    "sink", "ticketing",
                    "filter_query", Map.of("field", "from", "op", "domain_in", "value", java.util.List.of("acme.example")),
                    // nobody knows Ada: a ticket without contact; no acknowledgement, so the only mail out is the reply
                    "sink_settings", Map.of("create_for_unknown_senders", true, "acknowledge", false)));
            ApiClient.Reply created = admin.post("/api/mailboxes", body);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long mailboxId = created.json().get("id").asLong();
            ApiClient.Reply poll = admin.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);
            assertThat(poll.status()).as(poll.body()).isEqualTo(200);

            browser.open("/admin/#token=" + mailroom.adminToken());
            browser.heading("Mailboxes");
            // processing runs after the sync: reload the list until the ticket is there
            browser.click("Tickets");
            browser.heading("Tickets");
            browser.waiting().withTimeout(Duration.ofSeconds(60)).until(driver -> {
                if (driver.findElements(By.linkText("TCK-1")).isEmpty()) {
                    driver.navigate().refresh();
                    browser.heading("Tickets");
                }
                return !driver.findElements(By.linkText("TCK-1")).isEmpty();
            });
            assertThat(browser.visible(By.cssSelector("main table")).getText()).contains("Printer on fire", "open");
            browser.screenshot("10-tickets");

            browser.click("TCK-1");
            browser.heading("TCK-1: Printer on fire");
            assertThat(browser.visible(By.cssSelector("article.message")).getText()).contains("on fire");
            browser.type("Reply", "We sent a technician with an extinguisher.");
            browser.click("Send reply");
            browser.waiting().until(ExpectedConditions.textToBe(By.id("status"), "Reply sent."));
            browser.heading("TCK-1: Printer on fire");
            browser.screenshot("11-ticket");

            MimeMessage reply = browser.waiting().withTimeout(Duration.ofSeconds(60)).until(driver -> sentReply(greenMail).orElse(null));
            assertThat(reply.getSubject()).contains("[TCK-1]");
            assertThat(reply.getAllRecipients()[0].toString()).contains("ada@acme.example");
            assertThat(GreenMailUtil.getBody(reply)).contains("extinguisher");
            assertThat(admin.get("/api/tickets/TCK-1").json().path("messages").size()).isEqualTo(2);

            // the mailbox page: the sink chosen from the started sinks, its settings rendered from what it declares
            browser.open("/admin/#/mailboxes/" + mailboxId);
            browser.heading("Support");
            assertThat(new Select(browser.field("Sink")).getFirstSelectedOption().getAttribute("value")).isEqualTo("ticketing");
            assertThat(new Select(browser.field("Sink")).getOptions()).extracting(option -> option.getAttribute("value"))
                    .contains("ticketing", "webhook");
            assertThat(browser.field("Create for unknown senders").isSelected()).isTrue();
            assertThat(browser.field("Acknowledge").isSelected()).isFalse();
            assertThat(browser.field("Ref prefix").getAttribute("value")).isEqualTo("TCK");
            browser.field("Acknowledge").click();
            browser.click("Save");
            browser.waiting().until(ExpectedConditions.textToBe(By.id("status"), "Saved."));
            JsonNode saved = admin.get("/api/mailboxes/" + mailboxId).json();
            assertThat(saved.path("sink").asText()).isEqualTo("ticketing");
            assertThat(saved.at("/sink_settings/acknowledge").asText()).isEqualTo("true");
            assertThat(saved.at("/sink_settings/create_for_unknown_senders").asText()).isEqualTo("true");

            // skipped mail: "Take" fetches it past the filter, and it is stored
            browser.heading("Support");
            WebElement skipped = browser.visible(By.xpath("//section[@id='skipped']//tr[td[normalize-space(.)='Weekly deals']]"));
            WebElement take = skipped.findElement(By.xpath(".//button[normalize-space(.)='Take']"));
            // to the middle of the window, clear of the "Saved." notice in the corner
            browser.script("arguments[0].scrollIntoView({block: 'center'})", take);
            take.click();
            browser.visible(By.xpath("//section[@id='skipped']//a[normalize-space(.)='Taken: open']"));
            browser.screenshot("12-mailbox-sink-and-skipped");
            assertThat(admin.get("/api/messages?mailbox_id=" + mailboxId).json().path("items").toString()).contains("Weekly deals");
        } finally {
            greenMail.stop();
        }
    }

    private static Optional<MimeMessage> sentReply(GreenMail greenMail) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(message -> {
            try {
                return message.getSubject() != null && message.getSubject().contains("[TCK-");
            } catch (jakarta.mail.MessagingException e) {
                return false;
            }
        }).findFirst();
    }
}
