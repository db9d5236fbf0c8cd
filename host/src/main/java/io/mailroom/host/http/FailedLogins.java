package io.mailroom.host.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows token guessing: counts the failed bearer-token checks of each remote address over a
 * sliding window, and once an address reaches the limit it is locked out for a whole window,
 * during which {@link Authentication} answers 429 without looking at the token it sends. One
 * WARN per lockout names the address and the count, never a token.
 *
 * <p>The address is the TCP peer: {@code X-Forwarded-For} is not trusted, because any client can
 * send one and would so pick the address it is counted under. Behind a proxy every client shares
 * the proxy's address; such a proxy should do its own limiting.
 *
 * <p>Memory is bounded: at most {@link #MAX_ADDRESSES} addresses are tracked, each with at most
 * {@code limit} instants; when full, the address seen least recently is forgotten.
 */
public final class FailedLogins {

    /** How many addresses are remembered at most (a few MB at the default limit). */
    static final int MAX_ADDRESSES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(FailedLogins.class);

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Failures> byAddress = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    private static final class Failures {
        final ArrayDeque<Instant> recent = new ArrayDeque<>();
        Instant lockedUntil;
    }

    public FailedLogins(int limit, Duration window, Clock clock) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit and window must be positive");
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** How long {@code address} must still wait, when it is locked out now. */
    public synchronized Optional<Duration> lockedFor(String address) {
        Failures failures = byAddress.get(address);
        if (failures == null || failures.lockedUntil == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(failures.lockedUntil)) {
            // the lockout is over: the address starts again with a clean slate
            byAddress.remove(address);
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, failures.lockedUntil));
    }

    /** Records a failed token check from {@code address}; reaching the limit locks it out. */
    public synchronized void failed(String address) {
        Instant now = clock.instant();
        Failures failures = byAddress.computeIfAbsent(address, key -> new Failures());
        Instant oldest = now.minus(window);
        while (!failures.recent.isEmpty() && !failures.recent.peekFirst().isAfter(oldest)) {
            failures.recent.pollFirst();
        }
        failures.recent.addLast(now);
        if (failures.recent.size() >= limit && failures.lockedUntil == null) {
            failures.lockedUntil = now.plus(window);
            LOG.warn("{} failed token checks from {} within {} s: its requests are refused for {} s",
                    failures.recent.size(), address, window.toSeconds(), window.toSeconds());
        }
        while (failures.recent.size() > limit) {
            failures.recent.pollFirst();
        }
    }
}
