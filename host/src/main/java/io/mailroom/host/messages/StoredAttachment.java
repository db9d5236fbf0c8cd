package io.mailroom.host.messages;

/** An attachment's metadata; {@code sha256} is null when it was over the size limit and not kept. */
public record StoredAttachment(long messageId, int index, String filename, String contentType, long size,
                               String sha256) {

    public boolean stored() {
        return sha256 != null;
    }
}
