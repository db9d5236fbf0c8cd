package io.mailroom.host.pipeline;

import io.mailroom.api.source.RawMessage;
import io.mailroom.host.mime.ParsedMessage;

/**
 * A new message after the work that needs no database: its hash and its parse, or why it could
 * not be parsed. Closing it releases the parse's spooled attachments.
 */
record PreparedMessage(RawMessage raw, String hash, ParsedMessage parsed, RuntimeException failure)
        implements AutoCloseable {

    /** Parses a message whose {@link ContentHash} is known; a parse that fails is kept as the failure. */
    static PreparedMessage of(RawMessage raw, String hash, IngestMessage ingest) {
        try {
            return new PreparedMessage(raw, hash, ingest.parse(raw), null);
        } catch (RuntimeException e) {
            return new PreparedMessage(raw, hash, null, e);
        }
    }

    @Override
    public void close() {
        if (parsed != null) {
            parsed.close();
        }
    }
}
