package io.mailroom.host.webhooks;

import java.time.Duration;

/**
 * How webhook deliveries run on a node: whether this node delivers at all, how often it looks
 * for due ones when nothing woke it, the first retry's wait (doubling up to an hour), and after
 * how many attempts a delivery is given up.
 */
public record WebhookTiming(boolean deliver, Duration poll, Duration retryBase, int maxAttempts) {

    public WebhookTiming {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }
}
