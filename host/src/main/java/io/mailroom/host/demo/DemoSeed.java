package io.mailroom.host.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets the demo up through the public API, in the order an admin would: the customer company
 * with its domain and contacts, an acknowledgement template, the support mailbox on the demo
 * mail server (its SMTP there too, so replies are delivered), an auto-reply rule and the
 * ticketing sink on it, and then the first sync.
 */
final class DemoSeed {

    private static final Logger LOG = LoggerFactory.getLogger(DemoSeed.class);
    private static final Duration FIRST_SYNC = Duration.ofMinutes(2);

    /** What was set up: the mailbox, what the first sync did, and the steps that failed (each said why). */
    record Result(long mailboxId, FirstSync firstSync, List<String> notSeeded) {
    }

    /** Messages stored and quarantined by the syncs so far, and the worst of their statuses. */
    record FirstSync(int stored, int quarantined, String status) {
    }

    private final DemoApi api;
    private final DemoMailServer mail;
    private final List<String> notSeeded = new ArrayList<>();

    DemoSeed(DemoApi api, DemoMailServer mail) {
        this.api = api;
        this.mail = mail;
    }

    Result run() {
        long company = api.post("/api/companies", Map.of("name", DemoPeople.COMPANY,
                "domains", List.of(DemoPeople.COMPANY_DOMAIN))).path("id").asLong();
        for (DemoPeople.Person person : DemoPeople.CONTACTS) {
            api.post("/api/contacts", Map.of("email", person.email(), "name", person.name(), "company_id", company));
        }
        long template = api.post("/api/templates", acknowledgement()).path("id").asLong();
        long mailbox = api.post("/api/mailboxes", supportMailbox()).path("id").asLong();
        // while the mailbox is disabled nothing syncs it, so the seed meets the rule and the sink
        optional("the auto-reply rule (POST /api/rules)", () -> api.post("/api/rules", urgentRule(mailbox, template)));
        optional("the ticketing sink on the mailbox (PUT /api/mailboxes/" + mailbox + " {\"sink\": \"ticketing\"})",
                () -> api.put("/api/mailboxes/" + mailbox, Map.of("sink", "ticketing")));
        api.put("/api/mailboxes/" + mailbox, Map.of("enabled", true));
        LOG.debug("demo: company {}, template {}, mailbox {}", company, template, mailbox);
        return new Result(mailbox, firstSync(mailbox), List.copyOf(notSeeded));
    }

    private static Map<String, Object> acknowledgement() {
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("name", "Acknowledgement");
        template.put("subject", "We have your message");
        template.put("text", """
                Hello{{#name}} {{name}}{{/name}},

                thank you for writing to Northwind Support. We have your message and will answer
                within one working day.

                Northwind Support""");
        template.put("html", """
                <p>Hello{{#name}} {{name}}{{/name}},</p>
                <p>thank you for writing to Northwind Support. We have your message and will answer
                within one working day.</p>
                <p>Northwind Support</p>""");
        return template;
    }

    /**
     * The support account on the demo mail server, its Sent folder too (so a reply sent from
     * Mailroom is saved there and found again by the next sync), pushed (IMAP IDLE: mail a user
     * sends to it shows up within a second) and polled every minute. All its mail is taken,
     * whatever its date: the seed keeps the dates it was written with. Created disabled, and
     * enabled once its rule and sink are set.
     */
    private Map<String, Object> supportMailbox() {
        Map<String, Object> mailbox = new LinkedHashMap<>();
        mailbox.put("name", DemoPeople.SUPPORT.name());
        mailbox.put("email", DemoPeople.SUPPORT.email());
        mailbox.put("source", "imap");
        mailbox.put("settings", Map.of("host", DemoMailServer.HOST, "port", mail.imapPort(), "security", "none",
                "username", DemoPeople.SUPPORT.email(), "password", DemoPeople.PASSWORD));
        mailbox.put("smtp", Map.of("host", DemoMailServer.HOST, "port", mail.smtpPort(), "security", "none",
                "username", DemoPeople.SUPPORT.email(), "password", DemoPeople.PASSWORD,
                "signature_text", DemoPeople.SUPPORT.name()));
        mailbox.put("folders", List.of(SeedMail.INBOX, SeedMail.SENT));
        mailbox.put("first_sync_days", null);
        mailbox.put("schedule", "0 * * * * ?");
        mailbox.put("push", true);
        mailbox.put("enabled", false);
        return mailbox;
    }

    /**
     * Customers' urgent mail gets the acknowledgement at once (Zoë's "bitte dringend" in the seed
     * does). Narrow on purpose: the ticketing sink acknowledges every new ticket already.
     */
    private static Map<String, Object> urgentRule(long mailbox, long template) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("mailbox_id", mailbox);
        rule.put("name", "Acknowledge urgent customer mail");
        rule.put("condition", Map.of("all", List.of(
                Map.of("field", "from", "op", "domain_in", "value", List.of(DemoPeople.COMPANY_DOMAIN)),
                Map.of("any", List.of(
                        Map.of("field", "subject", "op", "contains", "value", "urgent"),
                        Map.of("field", "subject", "op", "contains", "value", "dringend"))))));
        rule.put("actions", List.of(Map.of("type", "auto_reply", "data", Map.of("template_id", template))));
        rule.put("priority", 10);
        rule.put("active", true);
        rule.put("stop", false);
        return rule;
    }

    /**
     * A step that needs a feature this Mailroom may not have (rules and the ticketing sink came
     * later than the rest): when it fails, the demo says so and goes on without it.
     */
    private void optional(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("Demo: could not set up {}; the demo goes on without it: {}", what, e.getMessage());
            notSeeded.add(what + " (see the log)");
        }
    }

    /**
     * Syncs now and waits until no sync of the mailbox runs. Push starts a sync of its own as soon
     * as the mailbox exists, so the seed may be stored by that one, by this one, or split between
     * them: the counts are those of every sync so far.
     */
    private FirstSync firstSync(long mailbox) {
        try {
            api.post("/api/mailboxes/" + mailbox + "/sync?wait=true", null);
        } catch (DemoApi.CallFailed e) {
            if (e.status != 409 && e.status != 202) {
                throw e;
            }
        }
        long deadline = System.nanoTime() + FIRST_SYNC.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode polls = api.get("/api/mailboxes/" + mailbox + "/polls?limit=500").path("items");
            boolean busy = false;
            int stored = 0;
            int quarantined = 0;
            String status = null;
            for (JsonNode poll : polls) {
                String state = poll.path("status").asText();
                busy |= state.equals("running") || state.equals("queued");
                stored += poll.path("stored").asInt();
                quarantined += poll.path("quarantined").asInt();
                status = status == null || state.equals("failed") || (state.equals("partial") && status.equals("ok"))
                        ? state : status;
            }
            if (!busy && status != null) {
                return new FirstSync(stored, quarantined, status);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the demo's first sync", e);
            }
        }
        throw new IllegalStateException("the demo's first sync did not finish within " + FIRST_SYNC.toSeconds() + " s");
    }
}
