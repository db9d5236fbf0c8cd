package io.mailroom.host.pipeline;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.Settings;
import io.mailroom.api.outbound.OutgoingMail;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.MailSource;
import io.mailroom.api.source.RawContent;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.host.ApiClient;
import io.mailroom.host.MailroomCore;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.filters.MessageFilter;
import io.mailroom.host.mailboxes.FolderDao;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.PollDao;
import io.mailroom.host.messages.ProcessingStep;
import io.mailroom.host.messages.ProcessingStepDao;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.rules.ActiveAction;
import io.mailroom.host.rules.ActiveRule;
import io.mailroom.testkit.PluginJarBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Mailroom mailboxes that auto-reply to all mail they get, each to the other: GreenMail
 * carries the mail (SMTP from the outbox into each address's store, from which it is stored as a
 * sync stores a batch), and the exchange stops after one automatic reply.
 */
class AutoReplyLoopTest {

    /** A source with nothing to read: the mailboxes need one; their mail comes from GreenMail's store here. */
    private static final String SOURCE = """
            package sample.quiet;

            import io.mailroom.api.*;
            import io.mailroom.api.source.*;
            import java.util.List;

            public class Source implements MailSource {
                @Override public String id() { return "quiet"; }
                @Override public List<SettingDescriptor> mailboxSettings() { return List.of(); }
                @Override public SourceConnection connect(MailboxAccount account, ExtensionContext context) {
                    throw new PermanentException("this source reads no mail");
                }
            }
            """;

    /** Answers every message through the outbox, as RFC 3834 asks of an automatic reply. */
    static final class AutoReply implements RuleAction {
        final String autoSubmitted;

        AutoReply(String autoSubmitted) {
            this.autoSubmitted = autoSubmitted;
        }

        @Override
        public String id() {
            return "test_auto_reply";
        }

        @Override
        public boolean sendsMail() {
            return true;
        }

        @Override
        public Outcome run(ActionCall call, ExtensionContext context) {
            long sent = context.outboundMail().send(new OutgoingMail(call.message().mailboxId(), List.of(), null, null,
                    null, "We got your message and answer soon.", null, call.message().id(), false, autoSubmitted,
                    call.idempotencyKey()));
            return Outcome.done("answered with message " + sent);
        }
    }

    /** The built-in {@code auto_reply} with a template, in rules made over HTTP, run by Mailroom's own chain. */
    @Test
    void two_mailboxes_auto_replying_to_each_other_with_the_built_in_action_stop_after_one_exchange(@TempDir Path dir)
            throws Exception {
        assertThat(exchange(dir, null, true)).contains("classified auto_reply");
    }

    @Test
    void two_mailboxes_auto_replying_to_each_other_stop_after_one_exchange(@TempDir Path dir) throws Exception {
        assertThat(exchange(dir, "auto-replied", false)).contains("classified auto_reply");
    }

    /** An answering machine that does not say so (no Auto-Submitted): Mailroom still knows its own mail. */
    @Test
    void a_reply_that_does_not_say_it_is_automatic_is_still_known_as_mailrooms_own(@TempDir Path dir) throws Exception {
        assertThat(exchange(dir, null, false)).contains("Mailroom sent this message itself");
    }

    /**
     * Runs the exchange, with the built-in {@code auto_reply} in rules made through {@code /api/rules}
     * or with the test's own action ({@code autoSubmitted} its header); returns why B did not answer A's reply.
     */
    private static String exchange(Path dir, String autoSubmitted, boolean builtIn) throws Exception {
        PluginJarBuilder.plugin("quiet").source("sample.quiet.Source", SOURCE).service(MailSource.class, "sample.quiet.Source")
                .buildJar(Files.createDirectories(dir.resolve("plugins")));
        GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        ExecutorService parsers = Executors.newFixedThreadPool(2);
        // no chain workers of its own: this test drives the chain over the mailboxes' mail
        try (TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.outbox.poll.ms", "100",
                "mailroom.processing.workers", "0"))) {
            ApiClient admin = mailroom.admin();
            MailroomCore core = mailroom.mailroom().core();
            Jdbi jdbi = core.database().jdbi();
            Mailbox a = mailbox(admin, jdbi, "a@example.com", greenMail);
            Mailbox b = mailbox(admin, jdbi, "b@example.com", greenMail);
            ProcessingChain chain;
            String actionId;
            if (builtIn) {
                var template = admin.post("/api/templates", Map.of("name", "Answer", "subject", "",
                        "text", "We got your message and answer soon."));
                assertThat(template.status()).as(template.body()).isEqualTo(201);
                for (Mailbox mailbox : List.of(a, b)) {
                    var rule = admin.post("/api/rules", Map.of("mailbox_id", mailbox.id(), "name", "answer everything",
                            "actions", List.of(Map.of("type", "auto_reply",
                                    "data", Map.of("template_id", template.json().get("id").asLong())))));
                    assertThat(rule.status()).as(rule.body()).isEqualTo(201);
                }
                chain = core.processing();
                actionId = "auto_reply";
            } else {
                TestChain extensions = new TestChain().action(new AutoReply(autoSubmitted));
                extensions.context = core.pluginContexts().forPlugin("quiet");
                ActiveRule answerAll = new ActiveRule(1, "answer everything", MessageFilter.ALL, null,
                        List.of(new ActiveAction(0, "test_auto_reply", Settings.of(Map.of()))), false);
                chain = extensions.chain(jdbi, Clock.systemUTC(), mailboxId -> List.of(answerAll));
                actionId = "test_auto_reply";
            }
            BatchCommit batches = TestBatchCommit.of(jdbi, new MessageParser(1 << 20), Clock.systemUTC(), parsers,
                    1 << 20, new SyncStages(new SimpleMeterRegistry()));

            // a person writes to mailbox A from B's address
            GreenMailUtil.sendTextEmail("a@example.com", "b@example.com", "Question", "Is anyone there?",
                    greenMail.getSmtp().getServerSetup());
            for (int round = 0; round < 4; round++) {
                for (Mailbox mailbox : List.of(a, b)) {
                    syncFromGreenMail(greenMail, jdbi, batches, mailbox);
                    chain.drain(mailbox.id(), Duration.ofSeconds(30));
                }
                awaitOutboxEmpty(jdbi);
            }

            List<Long> answered = jdbi.withHandle(handle -> handle.createQuery("SELECT m.mailbox_id FROM processing_steps s "
                    + "JOIN messages m ON m.id = s.message_id WHERE s.step = 'action' AND s.status = 'done' "
                    + "AND s.action = :action").bind("action", actionId).mapTo(Long.class).list());
            assertThat(answered).as("A answered the person once; B did not answer A's automatic reply")
                    .containsExactly(a.id());
            assertThat(greenMail.getReceivedMessages()).as("the question and one automatic reply").hasSize(2);
            long replyInB = jdbi.withHandle(handle -> handle.createQuery(
                    "SELECT id FROM messages WHERE mailbox_id = :id").bind("id", b.id()).mapTo(Long.class).one());
            List<ProcessingStep> steps = jdbi.onDemand(ProcessingStepDao.class).forMessage(replyInB);
            assertThat(steps).extracting(ProcessingStep::step, ProcessingStep::status)
                    .contains(org.assertj.core.groups.Tuple.tuple("loop", "suppressed"));
            assertThat(admin.get("/api/messages/" + replyInB).json().get("processing").toString())
                    .contains("\"step\":\"loop\"", "\"status\":\"suppressed\"", "\"action\":\"" + actionId + "\"");
            return steps.getLast().detail();
        } finally {
            parsers.shutdownNow();
            greenMail.stop();
        }
    }

    private static Mailbox mailbox(ApiClient admin, Jdbi jdbi, String email, GreenMail greenMail) {
        var created = admin.post("/api/mailboxes", Map.of("name", email, "email", email, "source", "quiet",
                "enabled", false, "smtp", Map.of("host", "127.0.0.1", "port", greenMail.getSmtp().getPort(),
                        "security", "none")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        jdbi.onDemand(FolderDao.class).upsert(id, "INBOX", new String[0], 0);
        return jdbi.onDemand(MailboxDao.class).find(id).orElseThrow();
    }

    /** Stores what GreenMail holds for the mailbox's address and it has not stored yet, as one batch. */
    private static void syncFromGreenMail(GreenMail greenMail, Jdbi jdbi, BatchCommit batches, Mailbox mailbox)
            throws FolderException, MessagingException, IOException {
        GreenMailUser user = greenMail.getUserManager().getUserByEmail(mailbox.email());
        if (user == null) {
            return;
        }
        MailFolder inbox = greenMail.getManagers().getImapHostManager().getInbox(user);
        long last = jdbi.onDemand(FolderDao.class).find(mailbox.id(), "INBOX").orElseThrow().cursor().lastUid();
        List<RawMessage> fresh = new ArrayList<>();
        long highest = last;
        for (StoredMessage stored : inbox.getMessages()) {
            if (stored.getUid() <= last) {
                continue;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stored.getMimeMessage().writeTo(bytes);
            fresh.add(new RawMessage(Long.toString(stored.getUid()), stored.getUid(), Instant.now(), java.util.Set.of(),
                    RawContent.of(bytes.toByteArray())));
            highest = Math.max(highest, stored.getUid());
        }
        if (!fresh.isEmpty()) {
            long pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
            batches.commit(mailbox, "INBOX", new FolderBatch(fresh, new SyncCursor(1, highest, 0)), pollId);
        }
    }

    private static void awaitOutboxEmpty(Jdbi jdbi) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM outbox WHERE state IN ('queued', "
                + "'sending')").mapTo(Long.class).one()) > 0) {
            assertThat(Instant.now()).as("waiting for the outbox").isBefore(until);
            Thread.sleep(50);
        }
    }
}
