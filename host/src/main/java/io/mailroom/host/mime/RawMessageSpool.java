package io.mailroom.host.mime;

import jakarta.mail.internet.SharedInputStream;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Holds the raw message while it is parsed, as a {@link SharedInputStream} so that Angus' parts
 * are windows onto it instead of copies. Small messages stay in memory; a larger one is copied to a
 * temporary file, deleted on {@link #close()}, so that a 25 MB message costs disk rather than heap.
 */
final class RawMessageSpool implements AutoCloseable {

    static final int IN_MEMORY_LIMIT = 1024 * 1024;

    private final InputStream shared;
    private final long size;
    private final Path temporary;

    private RawMessageSpool(InputStream shared, long size, Path temporary) {
        this.shared = shared;
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
        return new RawMessageSpool(new SharedByteArrayInputStream(bytes), bytes.length, null);
    }

    static RawMessageSpool of(Path file) throws IOException {
        return new RawMessageSpool(new SharedFileInputStream(file.toFile()), Files.size(file), null);
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
            return new RawMessageSpool(new SharedFileInputStream(file.toFile()), size, file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** The whole message; {@code newStream} on it gives independent windows. */
    SharedInputStream stream() {
        return (SharedInputStream) shared;
    }

    long size() {
        return size;
    }

    @Override
    public void close() throws IOException {
        try {
            shared.close();
        } finally {
            if (temporary != null) {
                Files.deleteIfExists(temporary);
            }
        }
    }
}
