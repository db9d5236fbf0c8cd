package io.mailroom.host.mime;

import io.mailroom.api.PermanentException;

/**
 * The bytes are not a message at all (empty, binary, no header section). Thrown only for that:
 * anything that is merely malformed parses with fallbacks. A {@link PermanentException} so that
 * the pipeline quarantines the message with {@link #reason()} instead of retrying it.
 */
public final class UnparseableMessageException extends PermanentException {

    private final String reason;

    public UnparseableMessageException(String reason) {
        super("unparseable message: " + reason);
        this.reason = reason;
    }

    public UnparseableMessageException(String reason, Throwable cause) {
        super("unparseable message: " + reason, cause);
        this.reason = reason;
    }

    /** A short sentence for the quarantine list, e.g. {@code "the message is empty"}. */
    public String reason() {
        return reason;
    }
}
