package io.mailroom.host.messages;

/**
 * An attachment's metadata. {@code sha256} is the hash of its decoded bytes, null when it was over
 * the size limit and not kept. Where the bytes are: in the stored raw message at {@code part}
 * (read again when downloaded), or, for attachments stored before V20, in a blob of their own
 * under {@code sha256} ({@code part} null).
 */
public record StoredAttachment(long messageId, int index, String filename, String contentType, long size,
                               String sha256, String part) {

    public boolean stored() {
        return sha256 != null;
    }

    /** Whether the bytes are read from the raw message rather than from a blob of their own. */
    public boolean inRawMessage() {
        return part != null;
    }
}
