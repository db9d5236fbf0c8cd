package io.mailroom.plugins.pop3;

import io.mailroom.api.source.RawContent;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where retrieved messages are kept until the host has committed them: in memory up to
 * {@code memoryLimit} bytes each, in a temporary file (owner-only) beyond it, so a 25 MB
 * message costs a 64 KB copy buffer, not 25 MB of heap. The bytes that arrive decide, never the
 * size LIST announced (it only picks where to start); and bytes past the read limit (one more than the host's size limit) are
 * read off the connection but not kept, so the host sees the message is too big and nothing
 * buffers the rest. The files of a batch are deleted when
 * the batch is {@link #discard() discarded}: when the host asks for the next batch, or when the
 * reader closes.
 */
final class Spool implements AutoCloseable {

    /** Messages up to this size are kept in memory. */
    static final long DEFAULT_MEMORY_LIMIT = 8L * 1024 * 1024;

    private static final int FIRST_BUFFER = 16 * 1024;

    private final long memoryLimit;
    private final List<Path> files = new ArrayList<>();
    private long readLimit = Long.MAX_VALUE;

    Spool(long memoryLimit) {
        this.memoryLimit = memoryLimit;
    }

    /** Keeps at most this many bytes of a message (the host's size limit plus one). */
    Spool limitTo(long readLimit) {
        this.readLimit = readLimit;
        return this;
    }

    /**
     * A place to write one message. {@code announcedSize} (the LIST size) only picks where to
     * start: a message announced large goes to a file at once (no harm if it turns out small);
     * one announced small starts in memory and moves to a file as soon as the bytes written
     * outgrow the memory limit, whatever was announced.
     */
    Sink sink(long announcedSize) throws IOException {
        Sink sink = new Sink();
        if (announcedSize > memoryLimit) {
            sink.toFile();
        } else {
            // grown as bytes arrive: the memory held follows the bytes read, not the announced size
            sink.buffer = new byte[(int) Math.max(1, Math.min(memoryLimit, FIRST_BUFFER))];
        }
        return sink;
    }

    /** Deletes the files written so far; their contents can no longer be read. */
    void discard() {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a file the OS will not delete now is left for the temp cleaner
            }
        }
        files.clear();
    }

    @Override
    public void close() {
        discard();
    }

    /** One message being written: memory first, a file once it outgrows the limit. */
    final class Sink extends OutputStream {

        private byte[] buffer;
        private int count;
        private Path file;
        private OutputStream fileOut;
        private long size;

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            long room = readLimit - size;
            if (room <= 0) {
                return;
            }
            if (length > room) {
                length = (int) room;
            }
            if (fileOut == null && count + (long) length > memoryLimit) {
                toFile();
            }
            if (fileOut != null) {
                fileOut.write(bytes, offset, length);
            } else {
                if (count + length > buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(memoryLimit, Math.max(count + length, 2L * buffer.length)));
                }
                System.arraycopy(bytes, offset, buffer, count, length);
                count += length;
            }
            size += length;
        }

        /** The bytes written, readable until the spool discards them. */
        RawContent content() throws IOException {
            if (fileOut != null) {
                fileOut.close();
                return new FileContent(file, size);
            }
            return new MemoryContent(buffer, count);
        }

        /** Whether the message went to a file. */
        boolean spooled() {
            return file != null;
        }

        private void toFile() throws IOException {
            file = Files.createTempFile("mailroom-pop3-", ".eml");
            files.add(file);
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            if (count > 0) {
                fileOut.write(buffer, 0, count);
            }
            buffer = null;
            count = 0;
        }
    }

    /** Content held in memory, shared with no one. */
    private record MemoryContent(byte[] bytes, int length) implements RawContent {

        @Override
        public long size() {
            return length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes, 0, length);
        }
    }

    /** Content in a spool file. */
    record FileContent(Path file, long size) implements RawContent {

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }
}
