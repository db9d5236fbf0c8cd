package io.mailroom.host.pipeline;

import io.mailroom.api.Effect;
import io.mailroom.api.ExtensionContext;
import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.Settings;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.rule.ActionCall;
import io.mailroom.api.rule.RuleAction;
import io.mailroom.api.sink.TicketSink;
import io.mailroom.api.source.FolderReader.FolderBatch;
import io.mailroom.api.source.RawMessage;
import io.mailroom.api.source.SyncCursor;
import io.mailroom.host.filters.MessageFilter;
import io.mailroom.host.mailboxes.FolderDao;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.MailboxSinkDao;
import io.mailroom.host.mailboxes.PollDao;
import io.mailroom.host.messages.MessageDao;
import io.mailroom.host.messages.ProcessingStep;
import io.mailroom.host.messages.ProcessingStepDao;
import io.mailroom.host.mime.Classifier;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.rules.ActiveAction;
import io.mailroom.host.rules.ActiveRule;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static io.mailroom.host.pipeline.Mails.mail;
import static io.mailroom.host.pipeline.Mails.raw;
import static org.assertj.core.api.Assertions.assertThat;

/** The processing chain over a real database: rule order and stop, recorded steps, exactly once, the sink, loop protection. */
class ProcessingChainTest {

    private Database database;
    private Jdbi jdbi;
    private BatchCommit batches;
    private final ExecutorService parsers = Executors.newFixedThreadPool(2);
    private Instant now = Instant.parse("2026-11-20T09:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final TestChain extensions = new TestChain();
    private final Map<Long, List<ActiveRule>> rules = new HashMap<>();
    private long uid;

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        jdbi = database.jdbi();
        batches = TestBatchCommit.of(jdbi, new MessageParser(1 << 20), clock, parsers, 1 << 20,
                new SyncStages(new SimpleMeterRegistry()));
    }

    @AfterEach
    void close() {
        parsers.shutdownNow();
        database.close();
    }

    /** A test action: records each call, answers with {@code run}. */
    static final class TestAction implements RuleAction {
        final String id;
        final boolean sendsMail;
        final Function<ActionCall, Outcome> run;
        final List<ActionCall> calls = Collections.synchronizedList(new ArrayList<>());

        TestAction(String id, boolean sendsMail, Function<ActionCall, Outcome> run) {
            this.id = id;
            this.sendsMail = sendsMail;
            this.run = run;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean sendsMail() {
            return sendsMail;
        }

        @Override
        public Outcome run(ActionCall call, ExtensionContext context) {
            calls.add(call);
            return run.apply(call);
        }
    }

    /** A sink that answers with {@code answer} and keeps what it was given. */
    static final class TestSink implements TicketSink {
        final Function<MessageView, Outcome> answer;
        final List<Settings> settings = new ArrayList<>();

        TestSink(Function<MessageView, Outcome> answer) {
            this.answer = answer;
        }

        @Override
        public String id() {
            return "test_sink";
        }

        @Override
        public List<io.mailroom.api.SettingDescriptor> mailboxSettings() {
            return List.of(io.mailroom.api.SettingDescriptor.optional("queue", io.mailroom.api.SettingType.STRING,
                    "support", "where tickets go"));
        }

        @Override
        public Outcome deliver(MessageView message, Settings settings, ExtensionContext context) {
            this.settings.add(settings);
            return answer.apply(message);
        }
    }

    private static TestAction tagging(String id, String tag) {
        return new TestAction(id, false, call -> Outcome.done("tagged " + tag).withEffects(new Effect.Tag(tag)));
    }

    private Mailbox mailbox(boolean markAsRead, String moveTo) {
        long id = jdbi.onDemand(MailboxDao.class).insert(new Mailbox(0, null, "Support", "support@example.com", "imap",
                "password", "{}", List.of("INBOX"), null, 500, false, markAsRead, moveTo, true, "active", null, null, null,
                0, null, 0, false));
        jdbi.onDemand(FolderDao.class).upsert(id, "INBOX", new String[0], 3);
        return jdbi.onDemand(MailboxDao.class).find(id).orElseThrow();
    }

    /** Stores messages as a sync does (they wait for their chains); returns their ids. */
    private List<Long> store(Mailbox mailbox, String... mails) {
        List<RawMessage> raws = new ArrayList<>();
        for (String mail : mails) {
            raws.add(raw(++uid, mail));
        }
        long pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
        batches.commit(mailbox, "INBOX", new FolderBatch(raws, new SyncCursor(7, uid, 0)), pollId);
        return jdbi.withHandle(handle -> handle.createQuery("SELECT id FROM messages WHERE mailbox_id = :id "
                + "AND uid > :after ORDER BY uid").bind("id", mailbox.id()).bind("after", uid - mails.length)
                .mapTo(Long.class).list());
    }

    private ProcessingChain chain() {
        return extensions.chain(jdbi, clock, mailboxId -> rules.getOrDefault(mailboxId, List.of()));
    }

    private static ActiveRule rule(long id, MessageFilter condition, boolean stop, ActiveAction... actions) {
        return new ActiveRule(id, "rule " + id, condition, null, List.of(actions), stop);
    }

    private static ActiveAction action(int index, String type) {
        return new ActiveAction(index, type, Settings.of(Map.of()));
    }

    private List<ProcessingStep> steps(long messageId) {
        return jdbi.onDemand(ProcessingStepDao.class).forMessage(messageId);
    }

    private List<String> strings(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    private List<String> tags(long messageId) {
        return jdbi.onDemand(MessageDao.class).findVisible(messageId, null).orElseThrow().tags();
    }

    private static String simple(String from, String subject) {
        return mail(subject.replace(' ', '.') + "@" + from.substring(from.indexOf('@') + 1), null, from,
                "support@example.com", subject, "hello");
    }

    @Test
    void rules_run_in_their_order_and_a_rule_with_stop_ends_them_and_tags_apply_at_once() {
        Mailbox mailbox = mailbox(false, null);
        TestAction first = tagging("first", "one");
        TestAction second = tagging("second", "two");
        TestAction third = tagging("third", "three");
        extensions.action(first).action(second).action(third);
        // rule 2 sees the tag rule 1 gave: tags apply at once
        rules.put(mailbox.id(), List.of(rule(11, MessageFilter.ALL, false, action(0, "first")),
                rule(12, facts -> facts.tags().contains("one"), true, action(0, "second")),
                rule(13, MessageFilter.ALL, false, action(0, "third"))));
        long id = store(mailbox, simple("ann@customer.example", "Help")).getFirst();

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(first.calls).hasSize(1);
        assertThat(second.calls).hasSize(1);
        assertThat(third.calls).as("rule 12 has stop").isEmpty();
        assertThat(tags(id)).containsExactly("one", "two");
        assertThat(steps(id)).extracting(s -> s.step() + " " + s.ruleId() + " " + s.status())
                .containsExactly("rule 11 done", "action 11 done", "rule 12 done", "action 12 done");
        assertThat(first.calls.getFirst().idempotencyKey()).isEqualTo("rule:11:0:message:" + id);
        assertThat(strings("SELECT count(*) || '' FROM processing_queue")).containsExactly("0");
    }

    @Test
    void a_failing_action_and_a_rule_that_cannot_run_are_recorded_and_the_chain_goes_on() {
        Mailbox mailbox = mailbox(true, null);
        TestAction failing = new TestAction("failing", false, call -> {
            throw new PermanentException("the address nobody@ is refused");
        });
        TestAction after = tagging("after", "went-on");
        extensions.action(failing).action(after);
        rules.put(mailbox.id(), List.of(
                new ActiveRule(20, "broken", null, "the operator 'fancy' of condition.op is not available", List.of(), false),
                rule(21, MessageFilter.ALL, false, action(0, "failing"), action(1, "after"), action(2, "missing"))));
        long id = store(mailbox, simple("ann@customer.example", "Help")).getFirst();

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(steps(id)).extracting(s -> s.step() + " " + s.ruleId() + " " + s.actionIndex() + " " + s.status())
                .containsExactly("rule 20 -1 failed", "rule 21 -1 done", "action 21 0 failed", "action 21 1 done",
                        "action 21 2 failed", "post_action 0 -1 done");
        assertThat(steps(id).get(0).error()).contains("operator 'fancy'");
        assertThat(steps(id).get(2).error()).isEqualTo("the address nobody@ is refused");
        assertThat(steps(id).get(4).error()).contains("no rule action 'missing'");
        assertThat(tags(id)).containsExactly("went-on");
        assertThat(strings("SELECT action FROM pending_actions")).as("the mailbox's mark_as_read").containsExactly("seen");
    }

    @Test
    void an_action_recorded_as_done_is_not_run_again_when_the_chain_is_taken_again_after_a_restart() {
        Mailbox mailbox = mailbox(false, null);
        TestAction once = tagging("once", "done-once");
        int[] tries = {0};
        TestAction flaky = new TestAction("flaky", false, call -> {
            if (tries[0]++ == 0) {
                throw new TemporaryException("the webhook receiver answered 503");
            }
            return Outcome.done("posted");
        });
        extensions.action(once).action(flaky);
        rules.put(mailbox.id(), List.of(rule(31, MessageFilter.ALL, false, action(0, "once"), action(1, "flaky"))));
        long id = store(mailbox, simple("ann@customer.example", "Help")).getFirst();

        chain().drain(mailbox.id(), Duration.ofSeconds(30));
        assertThat(strings("SELECT attempts || ' ' || last_error FROM processing_queue"))
                .containsExactly("1 the webhook receiver answered 503");

        // a new worker (a restart) takes the message once its back-off is over
        now = now.plus(ProcessingChain.FIRST_RETRY);
        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(once.calls).as("recorded as done: not run again").hasSize(1);
        assertThat(flaky.calls).hasSize(2);
        assertThat(flaky.calls).extracting(ActionCall::idempotencyKey).containsOnly("rule:31:1:message:" + id);
        assertThat(steps(id)).extracting(s -> s.step() + " " + s.actionIndex() + " " + s.status())
                .containsExactly("rule -1 done", "action 0 done", "action 1 done");
        assertThat(strings("SELECT count(*) || '' FROM processing_queue")).containsExactly("0");
    }

    @Test
    void a_chain_whose_worker_died_is_taken_by_another_once_its_lease_ran_out_without_repeating_done_steps() {
        Mailbox mailbox = mailbox(false, null);
        TestAction once = tagging("once", "x");
        extensions.action(once);
        rules.put(mailbox.id(), List.of(rule(41, MessageFilter.ALL, false, action(0, "once"))));
        long id = store(mailbox, simple("ann@customer.example", "Help")).getFirst();
        // a worker took the message, ran its action and recorded it, then died before finishing
        jdbi.useHandle(handle -> {
            handle.execute("UPDATE processing_queue SET lease_owner = 'dead', lease_until = ?", now.plus(Duration.ofMinutes(10)));
            handle.execute("UPDATE messages SET tags = '{x}' WHERE id = ?", id); // in the step's own transaction
        });
        jdbi.onDemand(ProcessingStepDao.class).record(id, "rule", 41, -1, 0, null, "done", null, null, "[]");
        jdbi.onDemand(ProcessingStepDao.class).record(id, "action", 41, 0, 0, "once", "done", "tagged", null,
                "[{\"type\":\"tag\",\"value\":\"x\"}]");

        assertThat(chain().runNext(null)).as("held by the dead worker's lease").isFalse();
        now = now.plus(Duration.ofMinutes(11));
        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(once.calls).isEmpty();
        assertThat(tags(id)).containsExactly("x");
        assertThat(steps(id)).extracting(ProcessingStep::step).containsExactly("rule", "action");
        assertThat(strings("SELECT count(*) || '' FROM processing_queue")).containsExactly("0");
    }

    @Test
    void a_chain_holds_its_message_for_the_configured_lease() {
        Mailbox mailbox = mailbox(false, null);
        List<java.sql.Timestamp> held = new ArrayList<>();
        extensions.action(new TestAction("looks", false, call -> {
            held.add(jdbi.withHandle(handle -> handle.createQuery("SELECT lease_until FROM processing_queue")
                    .mapTo(java.sql.Timestamp.class).one()));
            return Outcome.done("looked");
        }));
        rules.put(mailbox.id(), List.of(rule(51, MessageFilter.ALL, false, action(0, "looks"))));
        store(mailbox, simple("ann@customer.example", "Help"));
        extensions.lease = Duration.ofSeconds(5);

        assertThat(chain().runNext(null)).isTrue();

        assertThat(held).extracting(java.sql.Timestamp::toInstant).containsExactly(now.plusSeconds(5));
    }

    @Test
    void a_failed_step_is_final_when_the_chain_is_taken_again_and_tried_again_by_a_reprocess() {
        Mailbox mailbox = mailbox(false, null);
        int[] calls = {0};
        TestAction failsOnce = new TestAction("fails_once", false, call -> {
            if (calls[0]++ == 0) {
                throw new PermanentException("the ticket system refused the message");
            }
            return Outcome.done("accepted");
        });
        int[] tries = {0};
        TestAction flaky = new TestAction("flaky", false, call -> {
            if (tries[0]++ == 0) {
                throw new TemporaryException("try later");
            }
            return Outcome.done("posted");
        });
        extensions.action(failsOnce).action(flaky);
        rules.put(mailbox.id(), List.of(rule(55, MessageFilter.ALL, false, action(0, "fails_once"), action(1, "flaky"))));
        long id = store(mailbox, simple("ann@customer.example", "Help")).getFirst();
        ProcessingChain chain = chain();
        chain.drain(mailbox.id(), Duration.ofSeconds(30));
        now = now.plus(ProcessingChain.FIRST_RETRY);
        chain.drain(mailbox.id(), Duration.ofSeconds(30));
        assertThat(failsOnce.calls).as("recorded as failed: final for the chain").hasSize(1);

        MessageParser parser = new MessageParser(1 << 20);
        new Reprocessing(jdbi, parser, new IngestMessage(parser, new Classifier(), new AssignThread(), clock),
                new Classifier(), chain).reprocess(jdbi.onDemand(MessageDao.class).findVisible(id, null).orElseThrow(), false);

        assertThat(failsOnce.calls).hasSize(2);
        assertThat(flaky.calls).as("done: not repeated").hasSize(2);
        assertThat(steps(id)).extracting(s -> s.step() + " " + s.actionIndex() + " " + s.status())
                .containsExactly("rule -1 done", "action 0 done", "action 1 done");
    }

    @Test
    void a_reprocess_repeats_no_action_unless_asked_and_then_with_new_idempotency_keys() {
        Mailbox mailbox = mailbox(false, null);
        TestAction counted = tagging("counted", "t");
        extensions.action(counted);
        rules.put(mailbox.id(), List.of(rule(51, MessageFilter.ALL, false, action(0, "counted"))));
        long id = store(mailbox, simple("ann@customer.example", "Help")).getFirst();
        ProcessingChain chain = chain();
        chain.drain(mailbox.id(), Duration.ofSeconds(30));
        MessageParser parser = new MessageParser(1 << 20);
        Reprocessing reprocessing = new Reprocessing(jdbi, parser,
                new IngestMessage(parser, new Classifier(), new AssignThread(), clock), new Classifier(), chain);

        reprocessing.reprocess(jdbi.onDemand(MessageDao.class).findVisible(id, null).orElseThrow(), false);
        assertThat(counted.calls).hasSize(1);

        reprocessing.reprocess(jdbi.onDemand(MessageDao.class).findVisible(id, null).orElseThrow(), true);
        assertThat(counted.calls).extracting(ActionCall::idempotencyKey)
                .containsExactly("rule:51:0:message:" + id, "rule:51:0:message:" + id + ":repeat:1");
        assertThat(steps(id)).extracting(s -> s.step() + " " + s.generation())
                .containsExactly("rule 0", "action 0", "rule 1", "action 1");
    }

    @Test
    void server_effects_become_pending_actions_at_the_end_a_rules_move_winning_over_the_mailboxs() {
        Mailbox mailbox = mailbox(false, "Processed");
        extensions.action(new TestAction("file", false, call -> Outcome.done("filed")
                .withEffects(new Effect.Flag(), new Effect.MarkSeen(), new Effect.MoveTo("Invoices"))));
        rules.put(mailbox.id(), List.of(rule(61, facts -> facts.parsed().subject().contains("Invoice"), false,
                action(0, "file"))));
        store(mailbox, simple("ann@customer.example", "Invoice 7"), simple("bob@customer.example", "Question"));

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(strings("SELECT server_key || ' ' || action || ' ' || coalesce(target, '') FROM pending_actions "
                + "ORDER BY server_key, id")).containsExactly("1 seen ", "1 flag ", "1 move Invoices", "2 move Processed");
    }

    @Test
    void a_sink_that_is_done_gets_the_mailboxs_post_actions_one_that_skips_leaves_the_message_and_its_flag_applies() {
        Mailbox mailbox = mailbox(true, "Processed");
        TestSink sink = new TestSink(view -> view.subject().contains("review")
                ? Outcome.skipped("left for review").withEffects(new Effect.Flag())
                : Outcome.done("ticket TCK-1", Map.of("ref", "TCK-1")));
        extensions.sink(sink);
        jdbi.onDemand(MailboxSinkDao.class).set(mailbox.id(), "test_sink", "{\"queue\": \"billing\"}");
        List<Long> ids = store(mailbox, simple("ann@customer.example", "Help"), simple("bob@x.example", "please review"));

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(strings("SELECT server_key || ' ' || action || ' ' || coalesce(target, '') FROM pending_actions "
                + "ORDER BY server_key, id")).containsExactly("1 seen ", "1 move Processed", "2 flag ");
        assertThat(steps(ids.get(0))).extracting(s -> s.step() + " " + s.action() + " " + s.status() + " " + s.detail())
                .containsExactly("sink test_sink done ticket TCK-1",
                        "post_action null done mark as read; move to Processed (queued for the server)");
        assertThat(steps(ids.get(1)).getFirst().status()).isEqualTo("skipped");
        assertThat(sink.settings.getFirst().values()).containsEntry("queue", "billing");
    }

    @Test
    void a_sink_whose_plugin_is_not_running_is_recorded_failed_and_the_message_stays_where_it_is() {
        Mailbox mailbox = mailbox(true, "Processed");
        jdbi.onDemand(MailboxSinkDao.class).set(mailbox.id(), "ticketing", "{}");
        long id = store(mailbox, simple("ann@customer.example", "Help")).getFirst();

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(steps(id)).extracting(s -> s.step() + " " + s.status() + " " + s.error())
                .containsExactly("sink failed the sink 'ticketing' is not available: its plugin is not started");
        assertThat(strings("SELECT action FROM pending_actions")).isEmpty();
    }

    @Test
    void an_action_that_sends_mail_is_suppressed_for_machines_lists_and_mailroom_itself_with_the_reason() {
        Mailbox mailbox = mailbox(false, null);
        TestAction reply = new TestAction("reply", true, call -> Outcome.done("replied"));
        extensions.action(reply);
        rules.put(mailbox.id(), List.of(rule(71, MessageFilter.ALL, false, action(0, "reply"))));
        ourOutboundMessage("ours.1@example.com");
        String normal = mail("person.1@customer.example", null, "p1@customer.example", "support@example.com", "Hi", "x");
        Map<String, String> mails = new java.util.LinkedHashMap<>();
        mails.put("classified auto_reply", withHeader("Auto-Submitted: auto-replied", normal, "2"));
        mails.put("classified bulk", withHeader("Precedence: list", normal, "3"));
        mails.put("classified bulk ", withHeader("List-Unsubscribe: <mailto:leave@list.example>", normal, "4"));
        mails.put("classified bulk  ", withHeader("List-Id: <dev.list.example>", normal, "5"));
        mails.put("classified bounce", withHeader("X-Failed-Recipients: a@b.example", normal, "6"));
        mails.put("is a mail system", mail("d.7@mx.example", null, "MAILER-DAEMON@mx.example", "support@example.com",
                "Hello", "x"));
        mails.put("is a mail system ", mail("d.8@mx.example", null, "postmaster@mx.example", "support@example.com",
                "New policy", "x"));
        mails.put("classified auto_reply ", withHeader("Return-Path: <>", normal, "9"));
        mails.put("asked for no automatic replies", withHeader("X-Auto-Response-Suppress: All", normal, "10"));
        mails.put("Mailroom sent this message itself", mail("ours.1@example.com", null, "p11@customer.example",
                "support@example.com", "Our own", "x"));
        List<Long> ids = store(mailbox, mails.values().toArray(String[]::new));

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(reply.calls).isEmpty();
        List<String> reasons = new ArrayList<>(mails.keySet());
        for (int i = 0; i < ids.size(); i++) {
            List<ProcessingStep> steps = steps(ids.get(i));
            assertThat(steps).extracting(ProcessingStep::step, ProcessingStep::status, ProcessingStep::action)
                    .contains(org.assertj.core.groups.Tuple.tuple("loop", "suppressed", "reply"));
            assertThat(steps.getLast().detail()).as(reasons.get(i)).contains(reasons.get(i).strip());
        }
    }

    @Test
    void a_reply_to_mailrooms_mail_from_a_person_and_an_out_of_office_suppress_header_do_get_an_answer() {
        Mailbox mailbox = mailbox(false, null);
        TestAction reply = new TestAction("reply", true, call -> Outcome.done("replied"));
        extensions.action(reply);
        rules.put(mailbox.id(), List.of(rule(72, MessageFilter.ALL, false, action(0, "reply"))));
        ourOutboundMessage("ours.2@example.com");
        store(mailbox, mail("answer.1@customer.example", "ours.2@example.com", "p1@customer.example",
                "support@example.com", "Re: Our own", "thanks"),
                withHeader("X-Auto-Response-Suppress: OOF", simple("p2@customer.example", "Outlook"), "x"));

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(reply.calls).hasSize(2);
    }

    @Test
    void a_sender_gets_one_automatic_mail_per_window_from_a_mailbox() {
        Mailbox mailbox = mailbox(false, null);
        TestAction reply = new TestAction("reply", true, call -> Outcome.done("replied"));
        extensions.action(reply);
        rules.put(mailbox.id(), List.of(rule(81, MessageFilter.ALL, false, action(0, "reply"))));
        List<Long> first = store(mailbox, simple("ann@customer.example", "One"), simple("ann@customer.example", "Two"),
                simple("bob@customer.example", "Three"));
        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        now = now.plus(Duration.ofHours(4)).plusSeconds(1);
        List<Long> later = store(mailbox, simple("ann@customer.example", "Four"));
        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(reply.calls).extracting(call -> call.message().subject()).containsExactly("One", "Three", "Four");
        assertThat(steps(first.get(1)).getLast().detail())
                .contains("ann@customer.example already got 1 automatic mail(s) from this mailbox within 4 hour(s)");
        assertThat(steps(later.getFirst()).getLast().status()).isEqualTo("done");
    }

    @Test
    void a_mailbox_without_rules_or_sink_gets_the_post_actions_of_many_messages_in_one_statement() {
        Mailbox mailbox = mailbox(true, "Processed");
        jdbi.useHandle(handle -> {
            handle.execute("CREATE TABLE statements (name TEXT)");
            handle.execute("""
                    CREATE FUNCTION count_statement() RETURNS trigger AS $$ BEGIN
                      INSERT INTO statements VALUES (TG_TABLE_NAME); RETURN NULL;
                    END $$ LANGUAGE plpgsql""");
            handle.execute("CREATE TRIGGER count_pending AFTER INSERT ON pending_actions "
                    + "FOR EACH STATEMENT EXECUTE FUNCTION count_statement()");
        });
        List<Long> ids = store(mailbox, simple("a@x.example", "One"), simple("b@x.example", "Two"),
                simple("c@x.example", "Three"));

        chain().drain(mailbox.id(), Duration.ofSeconds(30));

        assertThat(strings("SELECT action || ' ' || coalesce(target, '') FROM pending_actions ORDER BY id"))
                .containsExactly("seen ", "move Processed", "seen ", "move Processed", "seen ", "move Processed");
        assertThat(strings("SELECT name FROM statements")).containsExactly("pending_actions");
        assertThat(steps(ids.get(2))).extracting(ProcessingStep::detail)
                .containsExactly("mark as read; move to Processed (queued for the server)");
        assertThat(strings("SELECT count(*) || '' FROM processing_queue")).containsExactly("0");
    }

    @Test
    void a_quarantine_retry_enters_the_same_chain() {
        Mailbox mailbox = mailbox(false, null);
        TestAction tag = tagging("tag", "retried");
        extensions.action(tag);
        rules.put(mailbox.id(), List.of(rule(91, MessageFilter.ALL, false, action(0, "tag"))));
        byte[] bytes = simple("ann@customer.example", "Was poison").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        jdbi.useHandle(handle -> {
            handle.createUpdate("INSERT INTO blobs (sha256, size, content) VALUES ('poison', :size, :content)")
                    .bind("size", bytes.length).bind("content", bytes).execute();
            handle.attach(io.mailroom.host.messages.QuarantineDao.class).insert(mailbox.id(), "INBOX", 7, "9", "poison",
                    bytes.length, "the parser gave up");
        });
        io.mailroom.host.messages.QuarantinedMessage quarantined = jdbi.onDemand(io.mailroom.host.messages.QuarantineDao.class)
                .page(null, mailbox.id(), 0, 10).getFirst();
        MessageParser parser = new MessageParser(1 << 20);
        Reprocessing reprocessing = new Reprocessing(jdbi, parser,
                new IngestMessage(parser, new Classifier(), new AssignThread(), clock), new Classifier(), chain());

        long id = reprocessing.retry(quarantined);

        assertThat(tag.calls).hasSize(1);
        assertThat(tags(id)).containsExactly("retried");
        assertThat(steps(id)).extracting(ProcessingStep::step).containsExactly("rule", "action");
    }

    private static String withHeader(String header, String mail, String unique) {
        return header + "\r\n" + mail.replaceFirst("Message-ID: <", "Message-ID: <" + unique + ".");
    }

    /** An outbound message of another mailbox, as the outbox stores it (Message-ID with angle brackets). */
    private void ourOutboundMessage(String messageId) {
        Mailbox other = mailbox(false, null);
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO blobs (sha256, size, content) VALUES ('out-" + messageId + "', 1, '\\x00')");
            handle.execute("INSERT INTO messages (mailbox_id, folder, uid_validity, server_key, content_hash, size, "
                    + "message_id, direction) VALUES (?, 'Sent', 0, ?, ?, 1, ?, 'outbound')", other.id(),
                    "outbound:<" + messageId + ">", "out-" + messageId, "<" + messageId + ">");
        });
    }
}
