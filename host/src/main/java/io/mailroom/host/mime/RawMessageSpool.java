package io.mailroom.host.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Holds bytes while they are parsed so that they can be read more than once, from any offset: the
 * raw message, and a multipart body that has to be split again with a boundary taken from it.
 * Small ones stay in memory; a larger one is copied to a temporary file, deleted on
 * {@link #close()}, so that a 25 MB message costs disk rather than heap.
 */
final class RawMessageSpool implements AutoCloseable {

    static final int IN_MEMORY_LIMIT = 1024 * 1024;

    private final byte[] memory;
    private final Path file;
    private final long size;
    private final boolean temporary;

    private RawMessageSpool(byte[] memory, Path file, long size, boolean temporary) {
        this.memory = memory;
        this.file = file;
        this.size = size;
        this.temporary = temporary;
    }

    static RawMessageSpool of(InputStream raw, Path directory) throws IOException {
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = raw.read(buffer)) >= 0) {
            memory.write(buffer, 0, n);
            if (memory.size() > IN_MEMORY_LIMIT) {
                return toFile(memory, raw, directory);
            }
        }
        byte[] bytes = memory.toByteArray();
        return new RawMessageSpool(bytes, null, bytes.length, false);
    }

    static RawMessageSpool of(Path file) throws IOException {
        return new RawMessageSpool(null, file, Files.size(file), false);
    }

    private static RawMessageSpool toFile(ByteArrayOutputStream head, InputStream rest, Path directory)
            throws IOException {
        Path file = Files.createTempFile(directory, "mailroom-message-", ".eml");
        try {
            long size;
            try (OutputStream out = Files.newOutputStream(file)) {
                head.writeTo(out);
                size = head.size() + rest.transferTo(out);
            }
            return new RawMessageSpool(null, file, size, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The bytes from {@code from} to the end. */
    InputStream open(long from) throws IOException {
        return open(from, size);
    }

    /** The bytes from {@code from} up to (not including) {@code to}. */
    InputStream open(long from, long to) throws IOException {
        long start = Math.min(Math.max(from, 0), size);
        long end = Math.max(start, Math.min(to, size));
        if (memory != null) {
            return new ByteArrayInputStream(memory, (int) start, (int) (end - start));
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(start);
        return new BoundedInputStream(new java.io.BufferedInputStream(Channels.newInputStream(channel), 64 * 1024),
                end - start);
    }

    /** The byte at {@code offset}, or -1 outside the bytes. */
    int byteAt(long offset) throws IOException {
        if (offset < 0 || offset >= size) {
            return -1;
        }
        try (InputStream in = open(offset, offset + 1)) {
            return in.read();
        }
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        if (temporary) {
            Files.deleteIfExists(file);
        }
    }
}
