package io.mailroom.api.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A message's bytes. A source keeps small messages in memory and large ones in a file, best
 * through the host's {@link ContentSpool}; the host reads them as a stream, once or more, and
 * never needs them whole in memory.
 */
public interface RawContent {

    /** The size in bytes. */
    long size();

    /** A new stream over the bytes, from the start; the caller closes it. */
    InputStream open() throws IOException;

    /**
     * The file that holds exactly these bytes, when they are in one: the host then parses the
     * file in place instead of copying it. Empty for content in memory.
     */
    default Optional<Path> file() {
        return Optional.empty();
    }

    /**
     * Called by the host once it no longer needs the bytes: the batch holding them was committed,
     * or failed, or was read ahead and not used. Spooled content deletes its file; the bytes
     * cannot be read afterwards. Idempotent.
     */
    default void release() {
    }

    /** Content held in memory. */
    static RawContent of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new RawContent() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }
        };
    }
}
