package io.mailroom.api.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A message's bytes. A source may keep small messages in memory and spool large ones to a file;
 * the host reads them as a stream, once or more, and never needs them whole in memory.
 */
public interface RawContent {

    /** The size in bytes. */
    long size();

    /** A new stream over the bytes, from the start; the caller closes it. */
    InputStream open() throws IOException;

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
