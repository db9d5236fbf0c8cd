package io.mailroom.host.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a decoded attachment once: counts it and hashes it (SHA-256), and, when the bytes are
 * being downloaded, passes them on. Nothing is kept: the raw message is stored, and an attachment
 * is read again from it by its part path ({@link MessageParser#copyAttachment}) rather than stored
 * a second time, decoded.
 */
final class AttachmentDigest {

    private AttachmentDigest() {
    }

    /**
     * @param size      decoded size in bytes
     * @param sha256    hex SHA-256 of the decoded bytes
     * @param readError null, or why the bytes stopped early (what was read is counted)
     */
    record Digest(long size, String sha256, String readError) {
    }

    /** Reads to the end; every byte goes to {@code copy} too when it is not null. */
    static Digest read(InputStream decoded, ParseBudget budget, OutputStream copy) throws IOException {
        MessageDigest digest = sha256();
        long size = 0;
        String readError = null;
        byte[] buffer = new byte[16 * 1024];
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
            if (copy != null) {
                copy.write(buffer, 0, n);
            }
        }
        return new Digest(size, HexFormat.of().formatHex(digest.digest()), readError);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
