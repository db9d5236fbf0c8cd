package io.mailroom.host.webhooks;

import io.mailroom.api.HttpTransport;
import io.mailroom.host.secrets.SecretSealer;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;

/**
 * Webhook deliveries as one feature: the queue the {@code webhook} rule action writes to and the
 * worker of this node that POSTs them. The worker runs only once {@link #startWorker()} is called
 * (by the server, not by the CLI), and not at all on a node configured to deliver nothing.
 */
public final class Webhooks implements AutoCloseable {

    private final WebhookWorker worker;
    private final WebhookQueue queue;
    private final WebhookTiming timing;

    /** @param http the host's transport, which applies the private-address rule to every request */
    public Webhooks(Jdbi jdbi, SecretSealer sealer, HttpTransport http, Clock clock, WebhookTiming timing) {
        this.timing = timing;
        this.worker = new WebhookWorker(jdbi, http, sealer, clock, timing);
        this.queue = new WebhookQueue(jdbi, sealer, clock, worker::wake);
    }

    public WebhookQueue queue() {
        return queue;
    }

    /** This node's worker; tests drive it with {@link WebhookWorker#deliverDue()}. */
    public WebhookWorker worker() {
        return worker;
    }

    /** Starts delivering on this node, unless configured to deliver nothing. */
    public void startWorker() {
        if (timing.deliver()) {
            worker.start();
        }
    }

    @Override
    public void close() {
        worker.close();
    }
}
