package io.mailroom.host.mime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

/**
 * What parsing one message may cost, belt and braces behind linear passes: CPU time (checked in
 * the loops and streams the parser runs, so one message cannot hold a parser thread), and the
 * bytes it may decode. A message that runs out is not failed: {@link MessageParser} keeps what it
 * had parsed, marks the message {@link ParsedMessage#cut() cut} and says why in the warnings.
 *
 * <p>One instance per parse, used by one thread.
 */
final class ParseBudget {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long deadline;
    private final boolean cpuClock;
    private final Duration time;
    private final long maxDecodedBytes;
    private long decodedBytes;
    private boolean cut;

    /** Thrown from inside a parse when the budget is spent; {@link MessageParser} turns it into a cut. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String reason) {
            super(reason, null, false, false);
        }
    }

    ParseBudget(Duration time, long maxDecodedBytes) {
        this.time = time;
        this.maxDecodedBytes = maxDecodedBytes;
        this.cpuClock = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        this.deadline = now() + time.toNanos();
    }

    /** CPU time of this thread where the JVM measures it (a busy machine must not cut mail), else wall time. */
    private long now() {
        return cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** Throws {@link Exceeded} once the time is spent. Cheap enough to call per buffer read. */
    void check() {
        if (now() - deadline > 0) {
            throw new Exceeded("parsing took more than " + time.toSeconds() + " s of CPU time");
        }
    }

    /** Records that something was left out (a limit was reached), see {@link ParsedMessage#cut()}. */
    void markCut() {
        cut = true;
    }

    boolean cut() {
        return cut;
    }

    /** Counts decoded bytes (bodies and attachments together); throws {@link Exceeded} past the limit. */
    void decoded(long bytes) {
        decodedBytes += bytes;
        if (decodedBytes > maxDecodedBytes) {
            throw new Exceeded("the parts decode to more than " + maxDecodedBytes + " bytes");
        }
        check();
    }
}
