package io.mailroom.host.outbound;

import io.mailroom.host.network.GuardedSocketFactory;
import io.mailroom.host.network.PrivateAddressPolicy;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.templates.TemplateRenderer;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/**
 * Outbound mail as one feature: the {@code smtp} part of mailboxes, the send service, the outbox
 * worker of this node, and the {@link io.mailroom.api.outbound.OutboundMail} handle plugins get.
 * The worker runs only once {@link #startWorker()} is called (by the server, not by the CLI).
 */
public final class Outbound implements AutoCloseable {

    private final MailboxSmtp smtp;
    private final SendService sender;
    private final OutboxWorker worker;
    private final HostOutboundMail mail;
    private final OutboxTiming timing;
    private final SmtpCheck check;
    private volatile boolean started;
    private final Jdbi jdbi;

    public Outbound(Jdbi jdbi, SecretSealer sealer, PrivateAddressPolicy addresses, TemplateRenderer templates,
                    io.mailroom.host.mime.MessageParser parser, Clock clock, long maxAttachmentSize, long maxMessageSize,
                    OutboxTiming timing,
                    io.mailroom.host.mailboxes.OAuthLogin oauth,
                    java.util.function.Function<io.mailroom.host.mailboxes.Mailbox, io.mailroom.api.source.SourceConnection> connections) {
        this.timing = timing;
        this.jdbi = jdbi;
        this.smtp = new MailboxSmtp(jdbi, sealer, addresses);
        SmtpDelivery delivery = new SmtpDelivery(new SmtpLogin(jdbi, sealer, oauth), addresses, new GuardedSocketFactory(addresses));
        this.worker = new OutboxWorker(jdbi, delivery, new SentCopies(jdbi, connections), clock, timing);
        this.check = new SmtpCheck(jdbi, delivery, clock);
        this.sender = new SendService(jdbi, templates, clock, maxAttachmentSize, maxMessageSize, worker::wake);
        this.mail = new HostOutboundMail(jdbi, sender, new Forwards(jdbi, sender, parser, clock));
    }

    public MailboxSmtp smtp() {
        return smtp;
    }

    public SendService sender() {
        return sender;
    }

    /** Connects to a mailbox's SMTP server now (the CLI's test-connection). */
    public SmtpCheck check() {
        return check;
    }

    /**
     * Emails notifications from the system mailbox {@code id or address}; {@link NotificationMail#NONE}
     * when the installation names none.
     */
    public io.mailroom.host.notifications.NotificationMail notificationMail(java.util.Optional<String> systemMailbox) {
        return systemMailbox.<io.mailroom.host.notifications.NotificationMail>map(
                box -> new NotificationMailer(jdbi, sender, box.strip()))
                .orElse(io.mailroom.host.notifications.NotificationMail.NONE);
    }

    /** The handle plugins send with. */
    public io.mailroom.api.outbound.OutboundMail mail() {
        return mail;
    }

    /** Starts draining the outbox on this node, unless configured with no workers. */
    public synchronized void startWorker() {
        if (!started && timing.parallel() > 0) {
            worker.start();
            started = true;
        }
    }

    @Override
    public void close() {
        worker.close();
    }
}
