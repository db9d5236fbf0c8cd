package io.mailroom.plugins.imap;

import io.mailroom.api.source.RawContent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a reader keeps message bytes: in memory up to a threshold, above it in temporary files,
 * so a 25 MB message costs the heap one fetch chunk. The reader deletes a batch's files when
 * the host asks for the next batch (it has committed this one by then) or closes the reader.
 */
final class ContentSpool implements AutoCloseable {

    /** Messages larger than this go to a file (by the bytes read; the RFC822.SIZE only picks the first way). */
    static final long DEFAULT_THRESHOLD = 8L << 20;

    private final Path dir;
    private final long threshold;
    private final List<Path> files = new ArrayList<>();

    ContentSpool(Path dir, long threshold) {
        this.dir = dir;
        this.threshold = threshold;
    }

    /** Whether a message announced this big is fetched straight into a file; the bytes read decide again. */
    boolean belongsOnDisk(long size) {
        return size > threshold;
    }

    /** Messages with more bytes than this go to a file. */
    long threshold() {
        return threshold;
    }

    static RawContent inMemory(byte[] bytes) {
        return new MemoryContent(bytes);
    }

    /** A new, empty file for one message; deleted when the spool closes. */
    synchronized Path newFile() throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "mailroom-imap-", ".eml");
        files.add(file);
        return file;
    }

    OutputStream write(Path file) throws IOException {
        return Files.newOutputStream(file);
    }

    /** A file this spool wrote, as content; its bytes stay readable until {@link #close()}. */
    RawContent onDisk(Path file) throws IOException {
        return new FileContent(file, Files.size(file));
    }

    /** Deletes a file at once (a message that vanished while it was fetched). */
    synchronized void discard(Path file) {
        files.remove(file);
        deleteQuietly(file);
    }

    /** Deletes every file written so far; the spool stays usable. */
    synchronized void deleteAll() {
        files.forEach(ContentSpool::deleteQuietly);
        files.clear();
    }

    @Override
    public void close() {
        deleteAll();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file we cannot delete: the system's temp cleaning will
        }
    }

    /** Bytes held by this object alone (not copied again, unlike {@code RawContent.of}). */
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

    /** A spooled message. */
    record FileContent(Path file, long size) implements RawContent {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }
}
