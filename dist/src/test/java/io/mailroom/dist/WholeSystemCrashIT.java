package io.mailroom.dist;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailroom.host.ApiClient;
import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.TestMailroom;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.testkit.dovecot.DovecotServer;
import jakarta.mail.internet.MimeMessage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash consistency of the whole system: {@code bin/mailroom serve} imports a few thousand
 * messages from Dovecot (two folders, many senders, reply chains by In-Reply-To) into a mailbox
 * whose rules tag every message and auto-reply to the urgent ones, whose sink is {@code ticketing}
 * (a ticket per conversation, acknowledged to its sender), with the outbox sending all of it to
 * GreenMail's SMTP, and is SIGKILLed at random moments (a seeded {@link Random}, the seed
 * printed) during the import, the chains and the sending, and restarted each time; a last server
 * finishes, then a final sync. Then: every Dovecot message is stored exactly once per folder;
 * every rule step and every effect once (the tag, one auto-reply per urgent message); one ticket
 * per conversation holding exactly its messages, one acknowledgement per ticket; and every outbox
 * row arrived at the SMTP server exactly once, counted there by Message-ID, except rows marked
 * sent "not confirmed" (a kill in the window after the final dot that SMTP cannot close,
 * RFC 1047; see docs/outbound-mail.md): those arrived at most once, and are counted and reported.
 *
 * <p>The CI size is 500 messages and 4 kills; {@code -Dcrash.messages=5000 -Dcrash.kills=25}
 * is the documented one (docs/RELIABILITY.md), {@code -Dcrash.seed=…} repeats a run.
 */
class WholeSystemCrashIT {

    private static final int MESSAGES = Integer.getInteger("crash.messages", 500);
    private static final int KILLS = Integer.getInteger("crash.kills", 4);
    private static final long SEED = Long.getLong("crash.seed", System.currentTimeMillis());
    /** A reply answers a message at least this many places earlier in its folder (see below). */
    private static final int REPLY_GAP = 50;
    private static final String TAG = "seen-by-rules";

    @TempDir
    Path dir;

    /** One mail put into Dovecot and what the system must make of it. */
    private record Mail(int index, String folder, String messageId, String root, String sender, String subject,
                        String inReplyTo) {

        boolean urgent() {
            return subject.contains("Urgent");
        }

        byte[] bytes() {
            return ("Message-ID: <" + messageId + ">\r\nFrom: Customer <" + sender + ">\r\nTo: support@example.com\r\n"
                    + (inReplyTo == null ? "" : "In-Reply-To: <" + inReplyTo + ">\r\nReferences: <" + root + ">"
                    + (root.equals(inReplyTo) ? "" : " <" + inReplyTo + ">") + "\r\n")
                    + "Subject: " + subject + "\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n\r\nMessage " + index + " of the crash test.\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The corpus: a fifth of the mail in a second folder ({@code Support}, each one a new
     * conversation), the rest in INBOX, where one in four answers an earlier INBOX message (a
     * conversation's first or a reply to it: In-Reply-To chains) from the same sender; every
     * third conversation is urgent. A reply comes at least {@link #REPLY_GAP} messages after
     * what it answers: the chains of one mailbox run in parallel, so a reply whose chain ran
     * before its parent's would open a ticket of its own; the gap (and the short chain lease)
     * keeps the parent's chain ahead, as mail that comes minutes later is in life.
     */
    private static List<Mail> corpus(Random random) {
        List<Mail> mails = new ArrayList<>();
        List<Mail> inbox = new ArrayList<>();
        int senders = Math.max(10, MESSAGES / 4);
        int conversation = 0;
        for (int i = 0; i < MESSAGES; i++) {
            String id = "m" + i + "@crash.example";
            Mail mail;
            if (i % 5 == 4) {
                mail = starter(i, "Support", id, conversation++, senders, random);
            } else if (i % 4 == 3 && inbox.size() > REPLY_GAP) {
                Mail parent = inbox.get(random.nextInt(inbox.size() - REPLY_GAP));
                mail = new Mail(i, "INBOX", id, parent.root(), parent.sender(),
                        parent.subject().startsWith("Re: ") ? parent.subject() : "Re: " + parent.subject(),
                        parent.messageId());
            } else {
                mail = starter(i, "INBOX", id, conversation++, senders, random);
            }
            if (mail.folder().equals("INBOX")) {
                inbox.add(mail);
            }
            mails.add(mail);
        }
        return mails;
    }

    private static Mail starter(int i, String folder, String id, int conversation, int senders, Random random) {
        String sender = "customer" + random.nextInt(senders) + "@client" + (i % 7) + ".example";
        String subject = (conversation % 3 == 0 ? "Urgent: question " : "Question ") + conversation;
        return new Mail(i, folder, id, id, sender, subject, null);
    }

    @Test
    void killing_the_whole_server_at_random_moments_stores_files_and_sends_everything_exactly_once() throws Exception {
        long started = System.nanoTime();
        long testCpu = testJvmCpu();
        System.out.printf("WholeSystemCrashIT: seed %d, %d messages, %d kills (-Dcrash.seed=%d repeats it)%n",
                SEED, MESSAGES, KILLS, SEED);
        Random random = new Random(SEED);
        List<Mail> mails = corpus(random);
        List<Mail> roots = mails.stream().filter(mail -> mail.inReplyTo() == null).toList();
        long urgent = mails.stream().filter(Mail::urgent).count();
        long expectedOutbox = roots.size() + urgent;

        String key = MasterKeys.newKey();
        String url = TestDatabase.freshDatabaseUrl();
        Path plugins = InstalledPlugins.copy(dir.resolve("plugins"), "imap-basic", "ticketing");
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        // this node answers the API only: the syncs, the chains and the outbox run in the killed servers
        try (DovecotServer dovecot = DovecotServer.start(dir.resolve("dovecot"));
             TestMailroom mailroom = TestMailroom.start(dir, Map.of("mailroom.db.url", url, "mailroom.secret.key", key,
                     "mailroom.processing.workers", "0", "mailroom.processing.sync.wait", "0",
                     "mailroom.outbox.workers", "0", "mailroom.poll.frequency", "86400"))) {
            ApiClient admin = mailroom.admin();
            String token = mailroom.adminToken();
            Jdbi jdbi = mailroom.mailroom().core().database().jdbi();
            dovecot.addUser("crash", "pw-crash");
            dovecot.createFolder("crash", "Support");
            for (String folder : List.of("INBOX", "Support")) {
                dovecot.appendMany("crash", folder, mails.stream().filter(mail -> mail.folder().equals(folder))
                        .map(Mail::bytes).toList());
            }
            long mailboxId = setUp(admin, dovecot, smtp);

            Map<String, String> environment = new HashMap<>(Map.of("MAILROOM_DB_URL", url, "MAILROOM_SECRET_KEY", key,
                    "MAILROOM_PLUGINS_DIR", plugins.toString(), "MAILROOM_SOURCES_ALLOW_PRIVATE_HOSTS", "true",
                    "MAILROOM_DATA_DIR", dir.resolve("child").toString(), "MAILROOM_HTTP_PORT", "0",
                    "MAILROOM_OUTBOX_POLL_MS", "200", "MAILROOM_OUTBOX_RETRY_BASE", "1",
                    // every urgent message is answered, however many a sender wrote
                    "MAILROOM_LOOP_PER_SENDER_LIMIT", "1000"));
            environment.putAll(Map.of("MAILROOM_POLL_FREQUENCY", "86400", "MAILROOM_PROCESSING_SYNC_WAIT", "0",
                    // a killed server's messages and attempts are taken again seconds later, not minutes;
                    // the outbox's lease stays above a loaded machine's SMTP round trip, or a live
                    // attempt would be reconciled as "not confirmed" by another worker
                    "MAILROOM_PROCESSING_LEASE", "5", "MAILROOM_OUTBOX_LEASE", "10",
                    // more attempts and chains at once than the defaults: both mostly wait on I/O
                    "MAILROOM_OUTBOX_WORKERS", "6", "MAILROOM_PROCESSING_WORKERS", "4"));

            LongSupplier stored = () -> ServeProcess.count(jdbi, "SELECT count(*) FROM messages WHERE direction = 'inbound'");
            LongSupplier sunk = () -> ServeProcess.count(jdbi, "SELECT count(*) FROM processing_steps WHERE step = 'sink'");
            LongSupplier sent = () -> ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE state = 'sent'");
            List<String> kills = new ArrayList<>();
            for (int kill = 0; kill < KILLS; kill++) {
                // the kills go to the import, then the chains, then the sending, each at a random point
                List<LongSupplier> phases = List.of(stored, sunk, sent);
                List<Long> totals = List.of((long) MESSAGES, (long) MESSAGES, expectedOutbox);
                int phase = kill * 3 / KILLS;
                while (phase < 2 && phases.get(phase).getAsLong() >= totals.get(phase)) {
                    phase++; // that one is over: this kill goes to the next
                }
                String what = List.of("import", "chains", "sending").get(phase);
                LongSupplier progress = phases.get(phase);
                long total = totals.get(phase);
                // an import kill early enough that it lands before the import ends
                long target = Math.round(total * (phase == 0 ? 0.05 + 0.6 * random.nextDouble() : 0.05 + 0.9 * random.nextDouble()));
                long before = progress.getAsLong();
                Child child = Child.start(environment, dir.resolve("serve-" + kill + ".log"), token, mailboxId);
                try {
                    await(what + " past " + target + " of " + total, () -> {
                        long now = progress.getAsLong();
                        return now >= total || now >= target && now > before;
                    }, child.process, Duration.ofMinutes(10 + MESSAGES / 50));
                    Thread.sleep(random.nextInt(300));
                } finally {
                    child.kill();
                }
                String landed = String.format("kill %d (%s, target %d): stored %d/%d, sink steps %d/%d, sent %d/%d",
                        kill + 1, what, target, stored.getAsLong(), MESSAGES, sunk.getAsLong(), MESSAGES,
                        sent.getAsLong(), expectedOutbox);
                System.out.println("WholeSystemCrashIT: " + landed);
                kills.add(landed);
            }

            Child last = Child.start(environment, dir.resolve("serve-last.log"), token, mailboxId);
            try {
                await("everything stored, processed and sent", () -> stored.getAsLong() == MESSAGES
                        && ServeProcess.count(jdbi, "SELECT count(*) FROM processing_queue") == 0
                        && ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')") == 0,
                        last.process, Duration.ofMinutes(10 + MESSAGES / 50));
                last.stopSyncing();
                Reply finalSync = last.api.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);
                assertThat(finalSync.status()).as(finalSync.body()).isEqualTo(200);
                assertThat(finalSync.json().get("stored").asInt()).as("the final sync finds nothing new").isZero();
            } finally {
                last.kill();
            }

            long unconfirmed = ServeProcess.count(jdbi, "SELECT count(*) FROM outbox WHERE last_reply LIKE 'not confirmed%'");
            // CPU, beside the wall time: on a shared machine the wall time says more about the neighbours
            String summary = String.format("seed %d, %d messages, %d kills, %d outbox rows, %d sent 'not confirmed', %d s "
                            + "(CPU: the servers %d s, the test JVM %d s)%n  %s",
                    SEED, MESSAGES, KILLS, expectedOutbox, unconfirmed, Duration.ofNanos(System.nanoTime() - started).toSeconds(),
                    Child.CPU.get() / 1000, (testJvmCpu() - testCpu) / 1_000_000_000L, String.join("\n  ", kills));
            System.out.println("WholeSystemCrashIT: " + summary);

            assertThat(kills).as(summary).anyMatch(landed -> landed.contains("import") && !landed.contains("stored " + MESSAGES + "/"));
            checkStored(jdbi, mails, summary);
            checkRules(jdbi, mails, summary);
            checkTickets(jdbi, mails, summary);
            checkSent(jdbi, smtp, mails, expectedOutbox, summary);
        } finally {
            smtp.stop();
        }
    }

    /** The mailbox (two folders, the ticketing sink, SMTP to GreenMail) and its rules; returns its id. */
    private static long setUp(ApiClient admin, DovecotServer dovecot, GreenMail smtp) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Crash", "email", "support@example.com",
                "source", "imap", "folders", List.of("INBOX", "Support"),
                "sink", "ticketing", "sink_settings", Map.of("ref_prefix", "TCK", "acknowledge", true,
                        "create_for_unknown_senders", true),
                "smtp", Map.of("host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "security", "none",
                        "rate_per_minute", 10_000, "save_sent", false)));
        // small polls, so the import is many commits and an import kill lands inside it on a fast machine too
        body.put("max_messages_per_poll", 25);
        body.put("settings", Map.of("host", dovecot.host(), "port", dovecot.imapPort(), "security", "none",
                "username", "crash", "password", "pw-crash"));
        Reply created = admin.post("/api/mailboxes", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long mailboxId = created.json().get("id").asLong();
        Reply tag = admin.post("/api/rules", Map.of("mailbox_id", mailboxId, "name", "Tag everything",
                "actions", List.of(Map.of("type", "tag", "data", Map.of("tag", TAG)))));
        assertThat(tag.status()).as(tag.body()).isEqualTo(201);
        Reply template = admin.post("/api/templates", Map.of("name", "Urgent", "subject", "",
                "text", "Dear {{from_name}}, we are on it."));
        assertThat(template.status()).as(template.body()).isEqualTo(201);
        Reply answer = admin.post("/api/rules", Map.of("mailbox_id", mailboxId, "name", "Answer the urgent",
                "condition", Map.of("field", "subject", "op", "contains", "value", "Urgent"),
                "actions", List.of(Map.of("type", "auto_reply", "data", Map.of("template_id", template.json().get("id").asLong())))));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return mailboxId;
    }

    /** Every Dovecot message stored exactly once, in its folder; nothing else inbound. */
    private static void checkStored(Jdbi jdbi, List<Mail> mails, String summary) {
        Map<String, Long> stored = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT folder, message_id FROM messages WHERE direction = 'inbound'")
                .map((rs, ctx) -> rs.getString(1) + " " + bare(rs.getString(2))).forEach(k -> stored.merge(k, 1L, Long::sum)));
        assertThat(stored.keySet()).as("the Dovecot messages, by folder and Message-ID; " + summary)
                .containsExactlyInAnyOrderElementsOf(mails.stream().map(mail -> mail.folder() + " " + mail.messageId()).toList());
        assertThat(stored.values()).as("each stored once; " + summary).containsOnly(1L);
    }

    /** Each rule step once and done; the tag once on every message; one auto_reply done per urgent message. */
    private static void checkRules(Jdbi jdbi, List<Mail> mails, String summary) {
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM (SELECT 1 FROM processing_steps "
                + "GROUP BY message_id, step, rule_id, action_index, generation HAVING count(*) > 1) twice"))
                .as("steps recorded twice; " + summary).isZero();
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM processing_steps WHERE status <> 'done'"))
                .as("steps failed, skipped or suppressed; " + summary).isZero();
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM messages WHERE direction = 'inbound' AND tags = ARRAY['"
                + TAG + "']::text[]")).as("messages tagged once; " + summary).isEqualTo(mails.size());
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM processing_steps WHERE step = 'sink'"))
                .as("sink steps; " + summary).isEqualTo(mails.size());
        Map<String, Long> answered = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT m.message_id FROM processing_steps s JOIN messages m "
                        + "ON m.id = s.message_id WHERE s.step = 'action' AND s.action = 'auto_reply'")
                .mapTo(String.class).forEach(id -> answered.merge(bare(id), 1L, Long::sum)));
        assertThat(answered.keySet()).as("auto_reply steps, by the answered Message-ID; " + summary)
                .containsExactlyInAnyOrderElementsOf(mails.stream().filter(Mail::urgent).map(Mail::messageId).toList());
        assertThat(answered.values()).as("one auto_reply step per urgent message; " + summary).containsOnly(1L);
    }

    /** One ticket per conversation, holding exactly its messages; nothing left for review, no follow-up owed. */
    private static void checkTickets(Jdbi jdbi, List<Mail> mails, String summary) {
        Map<Long, Set<String>> byTicket = new HashMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT t.id, tm.message_id_header FROM plugin_ticketing.tickets t "
                        + "JOIN plugin_ticketing.ticket_messages tm ON tm.ticket_id = t.id WHERE tm.direction = 'inbound'")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), bare(rs.getString(2))))
                .forEach(row -> byTicket.computeIfAbsent(row.getKey(), id -> new HashSet<>()).add(row.getValue())));
        Map<String, Set<String>> conversations = mails.stream().collect(Collectors.groupingBy(Mail::root,
                Collectors.mapping(Mail::messageId, Collectors.toSet())));
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM plugin_ticketing.tickets"))
                .as("tickets; " + summary).isEqualTo(conversations.size());
        assertThat(new HashSet<>(byTicket.values())).as("each ticket holds exactly its conversation's messages; " + summary)
                .isEqualTo(new HashSet<>(conversations.values()));
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM plugin_ticketing.ticket_messages WHERE direction = 'inbound'"))
                .as("messages filed once; " + summary).isEqualTo(mails.size());
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM plugin_ticketing.ticket_messages WHERE followup IS NOT NULL"))
                .as("follow-ups still owed; " + summary).isZero();
        assertThat(ServeProcess.count(jdbi, "SELECT count(*) FROM plugin_ticketing.review_items"))
                .as("left for review; " + summary).isZero();
    }

    /**
     * Every outbox row sent, and at the SMTP server exactly once (by Message-ID), but those marked
     * sent "not confirmed": at most once. Nothing arrived that is not in the outbox. One
     * acknowledgement per conversation and one auto-reply per urgent message (In-Reply-To).
     */
    private static void checkSent(Jdbi jdbi, GreenMail smtp, List<Mail> mails, long expectedOutbox, String summary)
            throws Exception {
        Map<String, Boolean> outbox = new HashMap<>(); // Message-ID -> confirmed
        jdbi.useHandle(handle -> handle.createQuery("SELECT m.message_id, o.state, coalesce(o.last_reply, '') FROM outbox o "
                        + "JOIN messages m ON m.id = o.message_id")
                .map((rs, ctx) -> {
                    assertThat(rs.getString(2)).as("outbox row %s; %s", rs.getString(1), summary).isEqualTo("sent");
                    return Map.entry(bare(rs.getString(1)), !rs.getString(3).startsWith("not confirmed"));
                }).forEach(row -> outbox.put(row.getKey(), row.getValue())));
        assertThat(outbox).as("outbox rows: an acknowledgement per conversation, an auto-reply per urgent message; "
                + summary).hasSize((int) expectedOutbox);

        Map<String, Long> arrived = new TreeMap<>();
        Map<String, Long> acknowledgements = new HashMap<>();
        Map<String, Long> autoReplies = new HashMap<>();
        for (MimeMessage received : smtp.getReceivedMessages()) {
            arrived.merge(bare(received.getMessageID()), 1L, Long::sum);
            String answers = bare(received.getHeader("In-Reply-To", null));
            (received.getSubject().contains("[TCK-") ? acknowledgements : autoReplies).merge(answers, 1L, Long::sum);
        }
        assertThat(arrived.keySet()).as("arrived at the SMTP server and not in the outbox; " + summary)
                .isSubsetOf(outbox.keySet());
        Map<String, Long> twice = new LinkedHashMap<>();
        arrived.forEach((id, times) -> {
            if (times > 1) {
                twice.put(id, times);
            }
        });
        assertThat(twice).as("mail that arrived more than once; " + summary).isEmpty();
        List<String> missing = outbox.entrySet().stream().filter(row -> row.getValue() && !arrived.containsKey(row.getKey()))
                .map(Map.Entry::getKey).toList();
        assertThat(missing).as("confirmed sent and never arrived; " + summary).isEmpty();

        Set<String> notArrived = outbox.keySet().stream().filter(id -> !arrived.containsKey(id)).collect(Collectors.toSet());
        List<String> roots = mails.stream().filter(mail -> mail.inReplyTo() == null).map(Mail::messageId).toList();
        List<String> urgent = mails.stream().filter(Mail::urgent).map(Mail::messageId).toList();
        assertThat(acknowledgements.keySet()).as("acknowledged conversations; " + summary).isSubsetOf(roots);
        assertThat(acknowledgements.values()).as("one acknowledgement per ticket; " + summary).containsOnly(1L);
        assertThat(autoReplies.keySet()).as("auto-replied messages; " + summary).isSubsetOf(urgent);
        assertThat(autoReplies.values()).as("one auto-reply per urgent message; " + summary).containsOnly(1L);
        assertThat(acknowledgements.size() + autoReplies.size() + notArrived.size())
                .as("every acknowledgement and auto-reply arrived, but those not confirmed; " + summary)
                .isEqualTo(roots.size() + urgent.size());
    }

    /** As {@link ServeProcess#await}, looking less often: the counts it reads scan the whole import. */
    private static void await(String what, java.util.function.BooleanSupplier done, Process process, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(process.isAlive()).as("the server is running while waiting for " + what).isTrue();
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static long testJvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String bare(String messageId) {
        if (messageId == null) {
            return "";
        }
        String id = messageId.strip();
        return id.startsWith("<") && id.endsWith(">") ? id.substring(1, id.length() - 1) : id;
    }

    /**
     * One {@code serve} and the syncs the test asks of it through its API, one after another on
     * a thread of the test (each {@code POST …/sync?wait=true} runs on the server's request
     * thread, not through the clustered scheduler, so a restarted server resumes the import at
     * once); a killed server's request just fails.
     */
    private static final class Child {
        /** CPU time (ms) the killed servers had used. */
        static final java.util.concurrent.atomic.AtomicLong CPU = new java.util.concurrent.atomic.AtomicLong();
        final Process process;
        final ApiClient api;
        private final AtomicBoolean syncing = new AtomicBoolean(true);
        private final Thread syncs;

        private Child(Process process, ApiClient api, long mailboxId) {
            this.process = process;
            this.api = api;
            this.syncs = Thread.ofVirtual().start(() -> {
                while (syncing.get() && process.isAlive()) {
                    boolean more = false;
                    try {
                        Reply sync = api.post("/api/mailboxes/" + mailboxId + "/sync?wait=true", null);
                        more = sync.status() != 200 || sync.json().path("stored").asInt() > 0;
                    } catch (RuntimeException e) {
                        // killed mid-request
                    }
                    try {
                        // the import goes on at once; once it is over, a sync now and then, as the scheduler would
                        Thread.sleep(more ? 200 : 2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static Child start(Map<String, String> environment, Path log, String token, long mailboxId) throws Exception {
            Process process = ServeProcess.start(environment, log);
            String[] port = {null};
            ServeProcess.await("the server listening", () -> (port[0] = listeningPort(log)) != null, process,
                    Duration.ofMinutes(2));
            return new Child(process, new ApiClient("http://127.0.0.1:" + port[0], token), mailboxId);
        }

        private static String listeningPort(Path log) {
            try {
                String marker = "Mailroom is listening on port ";
                return Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream().filter(line -> line.contains(marker))
                        .map(line -> line.substring(line.indexOf(marker) + marker.length()).strip().split("\\D")[0])
                        .findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        }

        void stopSyncing() throws InterruptedException {
            syncing.set(false);
            syncs.join(Duration.ofMinutes(5));
        }

        void kill() throws InterruptedException {
            syncing.set(false);
            CPU.addAndGet(java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
                    .mapToLong(handle -> handle.info().totalCpuDuration().orElse(Duration.ZERO).toMillis()).sum());
            ServeProcess.kill(process);
            syncs.join(Duration.ofMinutes(1));
        }
    }
}
