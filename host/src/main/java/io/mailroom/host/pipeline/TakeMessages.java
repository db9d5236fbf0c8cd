package io.mailroom.host.pipeline;

import io.mailroom.api.PermanentException;
import io.mailroom.api.message.Address;
import io.mailroom.host.filters.FilterCompiler;
import io.mailroom.host.filters.FilterException;
import io.mailroom.host.filters.KnownSenders;
import io.mailroom.host.filters.MailboxIntake;
import io.mailroom.host.filters.MailboxIntakeDao;
import io.mailroom.host.filters.MessageFacts;
import io.mailroom.host.filters.MessageFilter;
import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mime.Classifier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who may create work: decides, after the parse and inside the batch's transaction, whether each
 * new message is taken. The mailbox's {@code filter_query} first, then {@code sync_known_only}
 * (the sender is a user or a contact), then {@code contacts_only} (the sender or a recipient is
 * a contact). A message not taken is recorded as skipped with the first reason that refused it.
 *
 * <p>The stored filter is compiled again for each batch, so an operator whose plugin was disabled
 * since it was saved fails the sync with the path and the reason (the mailbox shows it as its
 * error) rather than taking mail unfiltered.
 */
public final class TakeMessages {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Jdbi jdbi;
    private final FilterCompiler compiler;
    private final Classifier classifier;

    public TakeMessages(Jdbi jdbi, FilterCompiler compiler, Classifier classifier) {
        this.jdbi = jdbi;
        this.compiler = compiler;
        this.classifier = classifier;
    }

    /** What the mailbox checks, read before a batch: empty when it takes all mail. */
    Optional<MailboxIntake> intake(Mailbox mailbox) {
        return jdbi.onDemand(MailboxIntakeDao.class).find(mailbox.id()).filter(intake -> !intake.takesAll());
    }

    /** A decision: {@code reason} null when taken; {@code failure} when the mailbox's filter threw on this message. */
    record Decision(String reason, RuntimeException failure) {
        static final Decision TAKEN = new Decision(null, null);
    }

    /** One decision per message, in order; a message that failed to parse is taken (to be quarantined). */
    List<Decision> decide(Handle handle, Mailbox mailbox, MailboxIntake intake, String folder,
                          List<PreparedMessage> messages) {
        MessageFilter filter = filter(intake);
        List<String> addresses = new ArrayList<>();
        for (PreparedMessage message : messages) {
            if (message.parsed() != null) {
                if (message.parsed().from() != null) {
                    addresses.add(message.parsed().from().email());
                }
                if (intake.contactsOnly()) {
                    addresses.addAll(recipients(message));
                }
            }
        }
        KnownSenders known = KnownSenders.load(handle, addresses);
        List<Decision> decisions = new ArrayList<>(messages.size());
        for (PreparedMessage message : messages) {
            decisions.add(message.parsed() == null ? Decision.TAKEN : decide(intake, filter, known, folder, message));
        }
        return decisions;
    }

    private Decision decide(MailboxIntake intake, MessageFilter filter, KnownSenders known, String folder,
                            PreparedMessage message) {
        String sender = message.parsed().from() == null ? null : message.parsed().from().email();
        if (filter != MessageFilter.ALL) {
            MessageFacts facts = new MessageFacts(message.parsed(), folder, classifier.classify(message.parsed()).id(),
                    "inbound", List.of(), message.raw().content().size(), message.raw().internalDate(), known);
            boolean matches;
            try {
                matches = filter.test(facts);
            } catch (RuntimeException e) {
                // an operator of a plugin that failed on this message: quarantined, the batch goes on
                return new Decision(null, new IllegalStateException("the mailbox's filter_query failed on this message: "
                        + FailureReason.of(e), e));
            }
            if (!matches) {
                return new Decision("not taken: the mailbox's filter_query does not match", null);
            }
        }
        if (intake.syncKnownOnly() && !(known.isUser(sender) || known.isContact(sender))) {
            return new Decision("not taken: sync_known_only, and the sender is neither a user nor a contact", null);
        }
        if (intake.contactsOnly() && !known.isContact(sender) && recipients(message).stream().noneMatch(known::isContact)) {
            return new Decision("not taken: contacts_only, and neither the sender nor a recipient is a contact", null);
        }
        return Decision.TAKEN;
    }

    private MessageFilter filter(MailboxIntake intake) {
        if (intake.filterQuery() == null) {
            return MessageFilter.ALL;
        }
        try {
            return compiler.compile(JSON.readTree(intake.filterQuery()), "filter_query");
        } catch (FilterException e) {
            throw new PermanentException("the mailbox's filter cannot be used, so no mail is taken until it is fixed: "
                    + e.describe());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PermanentException("the mailbox's filter_query is not JSON");
        }
    }

    private static List<String> recipients(PreparedMessage message) {
        List<String> all = new ArrayList<>();
        for (List<Address> list : List.of(message.parsed().to(), message.parsed().cc(), message.parsed().bcc())) {
            list.forEach(address -> all.add(address.email()));
        }
        return all;
    }
}
