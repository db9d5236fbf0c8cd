package io.mailroom.host.pipeline;

import io.mailroom.host.network.ShownError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the processing chains of waiting messages, of any mailbox, on a few threads of their own,
 * so that slow actions (SMTP, webhooks) never hold a sync's batch. Every node may run one; they
 * share the queue through PostgreSQL alone ({@link ProcessingQueueDao#claim}: a lease, and
 * {@code FOR UPDATE SKIP LOCKED}). Started and stopped with the server.
 */
public final class ChainWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChainWorker.class);

    private final ProcessingChain chain;
    private final int threads;
    private final Duration idle;
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopped;

    /** {@code threads} 0: this node runs no chains but those its syncs drain themselves. */
    public ChainWorker(ProcessingChain chain, int threads, Duration idle) {
        this.chain = chain;
        this.threads = threads;
        this.idle = idle;
    }

    public synchronized ChainWorker start() {
        for (int i = 0; i < threads; i++) {
            // platform threads: actions may block in libraries that pin virtual ones (Angus Mail)
            Thread thread = Thread.ofPlatform().name("mailroom-chain-" + i).daemon().start(this::loop);
            running.add(thread);
        }
        return this;
    }

    private void loop() {
        while (!stopped) {
            boolean worked;
            try {
                worked = chain.runNext(null);
            } catch (RuntimeException e) {
                if (!stopped) {
                    LOG.warn("processing chain: {}", ShownError.of(e));
                }
                worked = false;
            }
            if (!worked) {
                try {
                    Thread.sleep(idle.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops taking messages and waits for the chains running now (a chain cut short is taken again later). */
    @Override
    public synchronized void close() {
        stopped = true;
        for (Thread thread : running) {
            thread.interrupt();
        }
        for (Thread thread : running) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        running.clear();
    }
}
