package io.mailroom.host.outbound;

import java.time.Duration;

/**
 * How the outbox runs on a node: how many attempts at once ({@code 0}: this node sends nothing,
 * another node does), how often it looks for due mail when not woken, the first retry's wait
 * (doubling up to an hour), and how long a lease lasts before another node may reconcile the
 * attempt (longer than any attempt: the SMTP timeouts are 30 s to connect and 60 s per read).
 */
public record OutboxTiming(int parallel, Duration poll, Duration retryBase, Duration lease) {
}
