package io.mailroom.host.pipeline;

import io.mailroom.api.message.Classification;
import io.mailroom.api.message.MessageView;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Loop protection, a stage of the processing chain: says why a rule action that sends mail
 * ({@link io.mailroom.api.rule.RuleAction#sendsMail()}) must not run for a message, so that
 * Mailroom never answers a machine, a list, itself, or the same sender over and over. Checked,
 * cheapest first:
 *
 * <ol>
 * <li>the message is classified {@code auto_reply}, {@code bounce} or {@code bulk}
 *     ({@link io.mailroom.host.mime.Classifier}: RFC 3834 {@code Auto-Submitted},
 *     {@code Precedence}, {@code List-Id}, {@code List-Unsubscribe}, delivery reports…);</li>
 * <li>machine signals the classifier leaves as normal mail: a {@code mailer-daemon} or
 *     {@code postmaster} sender, an empty {@code Return-Path: <>} (RFC 3834 §3.3: automatic mail
 *     is sent with a null return path), and {@code X-Auto-Response-Suppress} asking for no
 *     automatic replies ({@code All} or {@code AutoReply}; {@code OOF} alone concerns
 *     out-of-office notes, which Mailroom does not send);</li>
 * <li>Mailroom sent the message itself: its own Message-ID is the id of an outbound message of
 *     any mailbox (an {@code In-Reply-To} pointing at one of ours is a person answering, not
 *     enough);</li>
 * <li>the sender already got {@code perSenderLimit} automatic mails from this mailbox within
 *     {@code window} (counted in {@code automatic_replies}, written by {@link #count} when such an
 *     action returned done).</li>
 * </ol>
 * Every check is one header look-up or one indexed query: linear in the message.
 */
public final class LoopGuard {

    private final Jdbi jdbi;
    private final int perSenderLimit;
    private final Duration window;
    private final Clock clock;

    public LoopGuard(Jdbi jdbi, int perSenderLimit, Duration window, Clock clock) {
        this.jdbi = jdbi;
        this.perSenderLimit = perSenderLimit;
        this.window = window;
        this.clock = clock;
    }

    /** Why an action that sends mail must not run for this message, or empty when it may. */
    Optional<String> suppress(MessageView message) {
        Classification classification = message.classification();
        if (classification != Classification.NORMAL) {
            return Optional.of("the message is classified " + classification.id()
                    + ": no automatic mail to automatic replies, bounces or bulk mail (RFC 3834)");
        }
        if (message.from() == null || message.from().email().isBlank()) {
            return Optional.of("the message has no sender address to answer");
        }
        String local = message.from().email().substring(0, Math.max(0, message.from().email().indexOf('@')));
        if (local.equals("mailer-daemon") || local.equals("postmaster") || local.equals("mail-daemon")) {
            return Optional.of("the sender " + message.from().email() + " is a mail system, not a person");
        }
        for (String returnPath : message.header("return-path")) {
            if (returnPath.replace("<", "").replace(">", "").isBlank()) {
                return Optional.of("the message has an empty Return-Path (<>): it was sent automatically");
            }
        }
        for (String suppress : message.header("x-auto-response-suppress")) {
            for (String token : suppress.toLowerCase(Locale.ROOT).split("[,\\s]+")) {
                if (token.equals("all") || token.equals("autoreply")) {
                    return Optional.of("the sender asked for no automatic replies (X-Auto-Response-Suppress: "
                            + suppress.strip() + ")");
                }
            }
        }
        Dao dao = jdbi.onDemand(Dao.class);
        if (message.messageId() != null && !message.messageId().isBlank()
                && dao.sentByMailroom(bare(message.messageId()))) {
            return Optional.of("Mailroom sent this message itself (Message-ID " + bare(message.messageId()) + ")");
        }
        long recent = dao.recent(message.mailboxId(), message.from().email(), clock.instant().minus(window));
        if (recent >= perSenderLimit) {
            return Optional.of(message.from().email() + " already got " + recent + " automatic mail(s) from this mailbox"
                    + " within " + describe(window) + " (limit " + perSenderLimit
                    + ", mailroom.loop.per-sender-limit and mailroom.loop.window)");
        }
        return Optional.empty();
    }

    /** Counts an automatic mail sent to the message's sender (an action that sends mail returned done). */
    void count(Handle handle, MessageView message) {
        if (message.from() != null) {
            handle.attach(Dao.class).insert(message.mailboxId(), message.from().email(), message.id(), clock.instant());
        }
    }

    private static String bare(String id) {
        String s = id.strip();
        return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
    }

    private static String describe(Duration window) {
        long seconds = window.toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + " hour(s)" : seconds % 60 == 0 ? seconds / 60 + " minute(s)"
                : seconds + " second(s)";
    }

    /** The loop guard's look-ups. */
    public interface Dao {

        /** Outbound ids are stored with angle brackets, parsed inbound ones without: both are asked. */
        @SqlQuery("SELECT EXISTS (SELECT 1 FROM messages WHERE direction = 'outbound' "
                + "AND message_id IN (:id, '<' || :id || '>'))")
        boolean sentByMailroom(@Bind("id") String messageId);

        @SqlQuery("SELECT count(*) FROM automatic_replies WHERE mailbox_id = :mailboxId AND sender = :sender "
                + "AND sent_at > :since")
        long recent(@Bind("mailboxId") long mailboxId, @Bind("sender") String sender,
                    @Bind("since") java.time.Instant since);

        @SqlUpdate("INSERT INTO automatic_replies (mailbox_id, sender, message_id, sent_at) "
                + "VALUES (:mailboxId, :sender, :messageId, :at)")
        void insert(@Bind("mailboxId") long mailboxId, @Bind("sender") String sender,
                    @Bind("messageId") long messageId, @Bind("at") java.time.Instant at);
    }
}
