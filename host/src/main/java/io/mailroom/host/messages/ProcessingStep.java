package io.mailroom.host.messages;

import java.time.Instant;

/**
 * What one step of the processing chain did to a message: {@code step} is {@code loop},
 * {@code rule}, {@code action}, {@code sink} or {@code post_action}; {@code status} is
 * {@code done}, {@code skipped}, {@code failed} or {@code suppressed}. {@code ruleId} 0 and
 * {@code actionIndex} -1 stand for none. {@code effects} is the JSON list of the effects the
 * step asked for, replayed when the chain runs again.
 */
public record ProcessingStep(long id, long messageId, String step, long ruleId, int actionIndex, int generation,
                             String action, String status, String detail, String error, String effects, Instant at) {

    public static final String DONE = "done";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";
    public static final String SUPPRESSED = "suppressed";

    /** Whether the step finished for good: only a failed one is tried again (by a reprocess). */
    public boolean settled() {
        return !FAILED.equals(status);
    }
}
