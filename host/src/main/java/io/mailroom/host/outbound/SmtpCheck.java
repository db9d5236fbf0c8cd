package io.mailroom.host.outbound;

import io.mailroom.host.mailboxes.Mailbox;
import jakarta.mail.internet.InternetAddress;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code mailroom test-connection --smtp}: connects to a mailbox's SMTP server and logs in as the
 * outbox would, reports what the server announces, and optionally sends a test mail right away,
 * bypassing the outbox (a diagnostic, not a stored message), so the answer is the server's own.
 */
public final class SmtpCheck {

    private final Jdbi jdbi;
    private final SmtpDelivery delivery;
    private final Clock clock;
    private final MailComposer composer = new MailComposer();

    SmtpCheck(Jdbi jdbi, SmtpDelivery delivery, Clock clock) {
        this.jdbi = jdbi;
        this.delivery = delivery;
        this.clock = clock;
    }

    /** What the check found; {@code error} is the server's (or the connection's) answer when not ok. */
    public record Result(boolean ok, String server, List<String> capabilities, String sent, String error) {
    }

    public Result check(Mailbox mailbox, Optional<String> sendTo) {
        Optional<SmtpSettings> settings = jdbi.onDemand(SmtpSettingsDao.class).find(mailbox.id());
        if (settings.isEmpty()) {
            return new Result(false, null, List.of(), null, "the mailbox has no smtp settings");
        }
        SmtpSettings smtp = settings.get();
        String server = smtp.host() + ":" + smtp.port() + " (" + smtp.security() + ")";
        try {
            List<String> capabilities = delivery.probe(smtp, mailbox.email());
            String sent = null;
            if (sendTo.isPresent()) {
                InternetAddress to = new InternetAddress(sendTo.get(), true);
                Draft draft = new Draft(Recipients.named(mailbox.email(), mailbox.name()), List.of(to), List.of(),
                        List.of(), "Mailroom test mail from " + mailbox.email(),
                        "This is a test mail sent by 'mailroom test-connection' for mailbox " + mailbox.id() + ".",
                        null, List.of(), MailComposer.newMessageId(mailbox.email()), null, List.of(), "auto-generated",
                        clock.instant().truncatedTo(ChronoUnit.SECONDS));
                sent = delivery.send(smtp, mailbox.email(), List.of(to.getAddress()), composer.compose(draft),
                        new SmtpDelivery.Progress() {
                            @Override
                            public void beforeData() {
                            }

                            @Override
                            public void beforeEndOfData() {
                            }
                        });
            }
            return new Result(true, server, capabilities, sent, null);
        } catch (DeliveryFailure e) {
            return new Result(false, server, List.of(), null, e.getMessage());
        } catch (jakarta.mail.internet.AddressException e) {
            return new Result(false, server, List.of(), null, "'" + sendTo.orElse("") + "' is not an address");
        }
    }
}
