package io.mailroom.plugins.ticketing.webhook;

import io.mailroom.api.ExtensionContext;
import io.mailroom.api.HttpTransport;
import io.mailroom.api.MailroomException;
import io.mailroom.api.Outcome;
import io.mailroom.api.PermanentException;
import io.mailroom.api.SettingDescriptor;
import io.mailroom.api.Settings;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.message.MessageView;
import io.mailroom.api.sink.TicketSink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code webhook} sink: posts each processed message (and the ticket it is on, if any) as
 * JSON to the mailbox's URL, signed with its secret (see {@link WebhookSignature}).
 *
 * <p>Retries without a thread of its own: the message is queued in the plugin's table first;
 * then every delivery posts the mailbox's due rows, oldest first, this one among them. A post
 * that fails is due again after a back-off (30 s, doubling, at most 6 h) and the sink throws
 * {@link TemporaryException}, so the host delivers the message again later; that delivery, or
 * the next message of the mailbox, posts it when it is due. After {@code max_attempts} the row
 * is given up ({@link PermanentException}). A 2xx answer is success; any other answer or a
 * network failure is retried; an address the host refuses is given up at once.
 *
 * <p>At least once: a receiver that answered 2xx but whose answer was lost (or a crash before the
 * row was marked) gets the post again, with the same {@code X-Mailroom-Delivery} id to dedupe by.
 */
public final class WebhookSink implements TicketSink {

    static final String DELIVERY_HEADER = "X-Mailroom-Delivery";
    /** Bounds the work one delivery does for a backlog. */
    static final int BATCH = 20;
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_RETRY = Duration.ofHours(6);

    @Override
    public String id() {
        return "webhook";
    }

    @Override
    public String name() {
        return "Webhook";
    }

    @Override
    public List<SettingDescriptor> mailboxSettings() {
        return WebhookSettings.descriptors();
    }

    @Override
    public Outcome deliver(MessageView message, Settings settings, ExtensionContext context) {
        WebhookSettings webhook = WebhookSettings.from(settings);
        WebhookQueue queue = new WebhookQueue(context.database());
        Instant now = context.clock().instant();
        queue.enqueue(message.mailboxId(), message.id(),
                WebhookBody.of(message, queue.ticketOf(message.id()).orElse(null)), now);
        for (Delivery due : queue.claimDue(message.mailboxId(), now, BATCH)) {
            post(due, webhook, queue, context);
        }
        Delivery mine = queue.find(message.mailboxId(), message.id());
        return switch (mine.state()) {
            case Delivery.DELIVERED -> Outcome.done("posted to the webhook (HTTP " + mine.lastStatus() + ")",
                    Map.of("delivery_id", mine.id()));
            case Delivery.FAILED -> throw new PermanentException("the webhook was given up after " + mine.attempts()
                    + " attempts: " + mine.lastError());
            default -> throw new TemporaryException("the webhook is not reached yet (" + mine.lastError()
                    + "); next attempt at " + mine.nextAttemptAt());
        };
    }

    private static void post(Delivery delivery, WebhookSettings webhook, WebhookQueue queue, ExtensionContext context) {
        Instant now = context.clock().instant();
        HttpTransport.Request request = new HttpTransport.Request("POST", webhook.url(), Map.of(
                "Content-Type", "application/json",
                WebhookSignature.HEADER, WebhookSignature.header(webhook.secret(), now.getEpochSecond(), delivery.body()),
                DELIVERY_HEADER, Long.toString(delivery.id())),
                delivery.body().getBytes(StandardCharsets.UTF_8));
        try {
            HttpTransport.Response response = context.http().send(request);
            if (response.isSuccess()) {
                queue.delivered(delivery.id(), response.status(), now);
            } else {
                failed(delivery, webhook, queue, response.status(), "HTTP " + response.status(), now);
            }
        } catch (PermanentException refused) {
            queue.attemptFailed(delivery.id(), null, refused.getMessage(), null, now);
        } catch (MailroomException | IllegalArgumentException e) {
            failed(delivery, webhook, queue, null, e.getMessage(), now);
        }
    }

    private static void failed(Delivery delivery, WebhookSettings webhook, WebhookQueue queue, Integer status,
                               String error, Instant now) {
        int attempts = delivery.attempts() + 1;
        Instant retryAt = attempts >= webhook.maxAttempts() ? null : now.plus(backoff(attempts));
        queue.attemptFailed(delivery.id(), status, error, retryAt, now);
    }

    /** The pause after the {@code attempts}-th failed post: 30 s, 1 min, 2 min… at most 6 h. */
    static Duration backoff(int attempts) {
        Duration pause = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
        return pause.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : pause;
    }
}
