package io.mailroom.api.message;

/**
 * An attachment of a stored message.
 *
 * @param index       position among the message's attachments, from 0
 * @param stored      false when it was over the size limit and only its metadata was kept
 */
public record AttachmentInfo(int index, String filename, String contentType, long size, boolean stored) {
}
