package io.mailroom.host.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a decoded attachment once: counts it, hashes it (SHA-256, so the store can keep one copy
 * of bytes that arrive many times), and keeps the bytes when they are within the size limit. Over
 * the limit it goes on reading for the size and the hash but keeps nothing.
 */
final class AttachmentSpooler {

    /** Attachments up to this size stay in memory; larger ones go to a temporary file. */
    static final int IN_MEMORY_LIMIT = 256 * 1024;

    private final long maxStoredSize;
    private final Path directory;

    AttachmentSpooler(long maxStoredSize, Path directory) {
        this.maxStoredSize = maxStoredSize;
        this.directory = directory;
    }

    /**
     * @param size    decoded size in bytes
     * @param content null when over the limit
     * @param readError null, or why the bytes stopped early (what was read is kept)
     */
    record Spooled(long size, String sha256, SpooledContent content, String readError) {
    }

    Spooled spool(InputStream decoded, ParseBudget budget) throws IOException {
        MessageDigest digest = sha256();
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        Path file = null;
        OutputStream fileOut = null;
        long size = 0;
        boolean keep = true;
        String readError = null;
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n;
                try {
                    n = decoded.read(buffer);
                } catch (IOException | RuntimeException broken) {
                    readError = String.valueOf(broken.getMessage());
                    break;
                }
                if (n < 0) {
                    break;
                }
                budget.decoded(n);
                digest.update(buffer, 0, n);
                size += n;
                if (keep && size > maxStoredSize) {
                    keep = false;
                    memory = null;
                    if (fileOut != null) {
                        fileOut.close();
                        fileOut = null;
                        Files.deleteIfExists(file);
                        file = null;
                    }
                } else if (keep && fileOut == null && size > IN_MEMORY_LIMIT) {
                    file = Files.createTempFile(directory, "mailroom-attachment-", ".bin");
                    fileOut = Files.newOutputStream(file);
                    memory.writeTo(fileOut);
                    memory = null;
                    fileOut.write(buffer, 0, n);
                } else if (keep) {
                    (fileOut != null ? fileOut : memory).write(buffer, 0, n);
                }
            }
            if (fileOut != null) {
                fileOut.close();
                fileOut = null;
            }
        } catch (IOException | RuntimeException e) {
            if (fileOut != null) {
                fileOut.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        SpooledContent content = !keep ? null
                : file != null ? SpooledContent.inFile(file, size) : SpooledContent.inMemory(memory.toByteArray());
        return new Spooled(size, HexFormat.of().formatHex(digest.digest()), content, readError);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
