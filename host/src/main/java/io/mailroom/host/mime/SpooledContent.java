package io.mailroom.host.mime;

import io.mailroom.api.source.RawContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The decoded bytes of one attachment: in memory when small, in a temporary file otherwise, so a
 * message with several large attachments does not have to fit in the heap. Readable any number of
 * times until {@link #close()}, which deletes the file; a file whose owner forgot to close it is
 * deleted when the object is garbage-collected.
 */
public final class SpooledContent implements RawContent, AutoCloseable {

    private static final Cleaner CLEANER = Cleaner.create();

    private final long size;
    private final byte[] bytes;
    private final Path file;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    private SpooledContent(long size, byte[] bytes, Path file) {
        this.size = size;
        this.bytes = bytes;
        this.file = file;
        this.cleanable = file == null ? null : CLEANER.register(this, new Deletion(file));
    }

    static SpooledContent inMemory(byte[] bytes) {
        return new SpooledContent(bytes.length, bytes, null);
    }

    static SpooledContent inFile(Path file, long size) {
        return new SpooledContent(size, null, file);
    }

    @Override
    public long size() {
        return size;
    }

    /** A new stream over the decoded bytes; the caller closes it. */
    @Override
    public InputStream open() throws IOException {
        if (closed) {
            throw new IOException("attachment content was closed");
        }
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** Whether the bytes are in a temporary file rather than in memory. */
    public boolean isSpooledToFile() {
        return file != null;
    }

    @Override
    public void close() {
        closed = true;
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    private record Deletion(Path file) implements Runnable {
        @Override
        public void run() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
