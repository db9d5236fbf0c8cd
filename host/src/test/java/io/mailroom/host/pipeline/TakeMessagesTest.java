package io.mailroom.host.pipeline;

import io.mailroom.api.PermanentException;
import io.mailroom.host.mailboxes.FolderState;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxDao;
import io.mailroom.host.mailboxes.PollDao;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who may create work: a mailbox's filter_query, sync_known_only and contacts_only decide, after
 * the parse and in the batch's transaction, whether a message is stored or recorded as skipped
 * (key, sender, subject, date, reason; no bytes), and a skipped one is not read again.
 */
class TakeMessagesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private MaildropSync sync;
    private Jdbi jdbi;
    private FolderSync folderSync;
    private final Maildrop maildrop = new Maildrop();

    @BeforeEach
    void start() {
        sync = new MaildropSync(NOW);
        jdbi = sync.jdbi;
        folderSync = sync.folderSync;
    }

    @AfterEach
    void close() {
        sync.close();
    }

    private Mailbox mailbox(String filterQuery, boolean knownOnly, boolean contactsOnly) {
        long id = jdbi.onDemand(MailboxDao.class).insert(new Mailbox(0, null, "Drop", "drop@example.com", "pop3",
                "password", "{}", List.of("INBOX"), null, 500, false, false, null, true, "active", null,
                null, null, 0, null, 0, false));
        jdbi.useHandle(handle -> handle.execute("INSERT INTO mailbox_intake (mailbox_id, filter_query, sync_known_only, "
                + "contacts_only) VALUES (?, CAST(? AS jsonb), ?, ?)", id, filterQuery, knownOnly, contactsOnly));
        return jdbi.onDemand(MailboxDao.class).find(id).orElseThrow();
    }

    private long pollId;

    private SyncCounts run(Mailbox mailbox) {
        pollId = jdbi.onDemand(PollDao.class).start(mailbox.id());
        SyncCounts counts = SyncCounts.NONE;
        for (FolderState folder : new FolderList(jdbi).refresh(maildrop, mailbox.id())) {
            counts = counts.plus(folderSync.sync(maildrop, mailbox, folder, pollId));
        }
        return counts;
    }

    private List<String> strings(String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    private static String mail(String id, String from, String to, String subject) {
        return "Message-ID: <" + id + ">\r\nFrom: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n"
                + "Date: Tue, 03 Mar 2026 10:00:00 +0000\r\n\r\nbody of " + id + "\r\n";
    }

    @Test
    void a_filter_for_one_domain_stores_its_mail_and_records_the_rest_as_skipped_without_bytes() {
        maildrop.add("a", mail("a@x", "Ann <ann@acme.com>", "drop@example.com", "Order"));
        maildrop.add("b", mail("b@x", "spam@elsewhere.org", "drop@example.com", "Cheap pills"));
        maildrop.add("c", mail("c@x", "bob@sales.ACME.com", "drop@example.com", "Quote"));
        Mailbox mailbox = mailbox("{\"field\": \"from\", \"op\": \"domain_in\", \"value\": [\"acme.com\"]}", false, false);

        assertThat(run(mailbox)).isEqualTo(new SyncCounts(3, 2, 1, 0));
        assertThat(strings("SELECT server_key FROM messages ORDER BY server_key")).containsExactly("a", "c");
        assertThat(strings("SELECT server_key || '|' || sender || '|' || subject || '|' || sent_at::text FROM skipped"))
                .containsExactly("b|spam@elsewhere.org|Cheap pills|2026-03-03 10:00:00+00");
        assertThat(strings("SELECT reason FROM skipped").getFirst()).contains("filter_query");
        assertThat(strings("SELECT count(*)::text FROM blobs")).containsExactly("2");
        assertThat(strings("SELECT skipped::text FROM polls WHERE id = " + pollId)).containsExactly("1");
        // never read again
        assertThat(run(mailbox).found()).isZero();
        assertThat(maildrop.handedOver).containsExactly("a", "b", "c");
    }

    @Test
    void sync_known_only_takes_mail_from_users_and_contacts() {
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO users (name, email, role) VALUES ('Ann', 'Ann@Example.com', 'user')");
            handle.execute("INSERT INTO contacts (email) VALUES ('Carol@Customer.org')");
        });
        maildrop.add("user", mail("u@x", "ann@example.COM", "drop@example.com", "from a user"));
        maildrop.add("contact", mail("c@x", "carol@customer.org", "drop@example.com", "from a contact"));
        maildrop.add("stranger", mail("s@x", "eve@nowhere.net", "carol@customer.org", "from a stranger"));
        Mailbox mailbox = mailbox(null, true, false);

        assertThat(run(mailbox)).isEqualTo(new SyncCounts(3, 2, 1, 0));
        assertThat(strings("SELECT server_key FROM messages ORDER BY server_key")).containsExactly("contact", "user");
        assertThat(strings("SELECT server_key || ': ' || reason FROM skipped")).singleElement().asString()
                .startsWith("stranger: ").contains("sync_known_only");
    }

    @Test
    void contacts_only_takes_mail_from_or_to_a_contact() {
        jdbi.useHandle(handle -> handle.execute("INSERT INTO contacts (email) VALUES ('carol@customer.org')"));
        maildrop.add("from", mail("f@x", "Carol@customer.org", "drop@example.com", "from a contact"));
        maildrop.add("to", mail("t@x", "drop@example.com", "x@y.org, CAROL@customer.org", "to a contact"));
        maildrop.add("neither", mail("n@x", "eve@nowhere.net", "drop@example.com", "neither"));
        Mailbox mailbox = mailbox(null, false, true);

        assertThat(run(mailbox)).isEqualTo(new SyncCounts(3, 2, 1, 0));
        assertThat(strings("SELECT server_key FROM messages ORDER BY server_key")).containsExactly("from", "to");
        assertThat(strings("SELECT reason FROM skipped")).singleElement().asString().contains("contacts_only");
    }

    @Test
    void the_filter_comes_first_then_known_senders() {
        jdbi.useHandle(handle -> handle.execute("INSERT INTO contacts (email) VALUES ('carol@customer.org')"));
        maildrop.add("news", mail("n@x", "carol@customer.org", "drop@example.com", "Newsletter"));
        maildrop.add("ok", mail("o@x", "carol@customer.org", "drop@example.com", "Question"));
        Mailbox mailbox = mailbox("{\"not\": {\"field\": \"subject\", \"op\": \"contains\", \"value\": \"newsletter\"}}",
                true, true);

        assertThat(run(mailbox)).isEqualTo(new SyncCounts(2, 1, 1, 0));
        assertThat(strings("SELECT server_key || ': ' || reason FROM skipped")).singleElement().asString()
                .startsWith("news: ").contains("filter_query");
    }

    @Test
    void a_stored_filter_whose_operator_is_gone_fails_the_sync_with_the_reason_and_takes_nothing() {
        maildrop.add("a", mail("a@x", "ann@acme.com", "drop@example.com", "Order"));
        // as if saved while a plugin served acme_equals, and the plugin was disabled since
        Mailbox mailbox = mailbox("{\"any\": [{\"field\": \"from\", \"op\": \"acme_equals\", \"value\": \"x\"}]}", false, false);

        assertThatThrownBy(() -> run(mailbox)).isInstanceOf(PermanentException.class)
                .hasMessageContaining("filter_query.any[0].op").hasMessageContaining("acme_equals");
        assertThat(strings("SELECT server_key FROM messages")).isEmpty();
        assertThat(strings("SELECT server_key FROM skipped")).isEmpty();
    }

    @Test
    void a_mailbox_without_rules_takes_all_mail_as_before() {
        maildrop.add("a", mail("a@x", "eve@nowhere.net", "drop@example.com", "anything"));
        Mailbox mailbox = mailbox(null, false, false);

        assertThat(run(mailbox)).isEqualTo(new SyncCounts(1, 1, 0, 0));
    }
}
