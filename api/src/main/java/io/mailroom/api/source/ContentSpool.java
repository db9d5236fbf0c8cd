package io.mailroom.api.source;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a source puts the bytes of the messages it reads, so that it need not hold them or
 * manage files of its own: each message goes through a {@link Writer}, which keeps it in memory
 * while it is small and moves it to a file (owner-only) in the spool's directory as soon as the
 * bytes written outgrow the memory limit. A 25 MB message thus costs the heap a copy buffer, not
 * 25 MB.
 *
 * <p>The host owns what the spool hands out: a source gets its spool from
 * {@link io.mailroom.api.ExtensionContext#spool()}, puts the {@link RawContent} of each message
 * in a batch, and forgets it. The host {@linkplain RawContent#release() releases} the content
 * once the batch is committed or has failed, which deletes its file; content nobody released is
 * deleted when it is garbage-collected. So a source neither deletes nor tracks spooled files,
 * and the content outlives {@link FolderReader#next}.
 *
 * <p>Thread-safe; each writer is used by one thread.
 */
public final class ContentSpool {

    /**
     * Messages up to this many bytes stay in memory: most mail is far smaller, and the host
     * parses a larger message from a file anyway, so a larger one costs no extra copy on disk.
     */
    public static final long DEFAULT_MEMORY_LIMIT = 1L << 20;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int FIRST_BUFFER = 16 * 1024;

    private final Path directory;
    private final long memoryLimit;

    /**
     * @param directory   where spooled files go; created when the first one is written
     * @param memoryLimit messages with more bytes than this go to a file
     */
    public ContentSpool(Path directory, long memoryLimit) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (memoryLimit < 0) {
            throw new IllegalArgumentException("memoryLimit must not be negative");
        }
        this.memoryLimit = memoryLimit;
    }

    /**
     * A place to write one message. {@code expectedSize} (what the server announced, -1 when
     * unknown) only picks where to start: a message announced large goes to a file at once,
     * one announced small starts in memory; the bytes written decide the rest. Bytes past
     * {@code readLimit} are accepted and dropped, so a message bigger than the host takes
     * ({@link FetchOptions#readLimit()}) is read off the connection without being kept, and its
     * content's size tells the host it is too big.
     */
    public Writer writer(long expectedSize, long readLimit) {
        return new Writer(expectedSize > memoryLimit, readLimit);
    }

    /**
     * One message being written: memory first, a file once it outgrows the limit. Call
     * {@link #content()} when the bytes are all written; closing a writer without taking its
     * content discards what was written (a message that vanished while it was read).
     */
    public final class Writer extends OutputStream {

        private final long readLimit;
        private byte[] buffer;
        private int count;
        private Path file;
        private OutputStream fileOut;
        private long size;
        private boolean done;

        private Writer(boolean toFileAtOnce, long readLimit) {
            this.readLimit = readLimit;
            // grown as bytes arrive: the memory held follows the bytes read, not the announced size
            this.buffer = new byte[(int) Math.max(1, Math.min(memoryLimit, FIRST_BUFFER))];
            if (toFileAtOnce) {
                try {
                    toFile();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a spool file in " + directory, e);
                }
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            if (done) {
                throw new IOException("this message's content was taken or discarded already");
            }
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

        /** The bytes kept so far. */
        public long size() {
            return size;
        }

        /** The bytes written, for the host; the writer is closed. */
        public RawContent content() throws IOException {
            if (done) {
                throw new IOException("this message's content was taken or discarded already");
            }
            done = true;
            if (fileOut != null) {
                fileOut.close();
                return new FileContent(file, size);
            }
            byte[] bytes = count == buffer.length ? buffer : Arrays.copyOf(buffer, count);
            buffer = null;
            return new MemoryContent(bytes);
        }

        /** Discards the bytes unless {@link #content()} took them. */
        @Override
        public void close() throws IOException {
            if (done) {
                return;
            }
            done = true;
            buffer = null;
            if (fileOut != null) {
                try {
                    fileOut.close();
                } finally {
                    Files.deleteIfExists(file);
                }
            }
        }

        private void toFile() throws IOException {
            Files.createDirectories(directory);
            // createTempFile makes the file readable by its owner alone (on POSIX file systems)
            file = Files.createTempFile(directory, "mailroom-spool-", ".eml");
            try {
                fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                fileOut.write(buffer, 0, count);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            buffer = null;
            count = 0;
        }
    }

    /** Content held in memory, shared with no one. */
    private record MemoryContent(byte[] bytes) implements RawContent {

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }
    }

    /** Content in a spool file, deleted on release or, at the latest, when it is garbage-collected. */
    private static final class FileContent implements RawContent {

        private final Path file;
        private final long size;
        private final Cleaner.Cleanable deletion;

        FileContent(Path file, long size) {
            this.file = file;
            this.size = size;
            this.deletion = CLEANER.register(this, new Deletion(file));
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public Optional<Path> file() {
            return Optional.of(file);
        }

        @Override
        public void release() {
            deletion.clean();
        }
    }

    private record Deletion(Path file) implements Runnable {
        @Override
        public void run() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // left for the host's sweep of its scratch directory at start-up
            }
        }
    }
}
