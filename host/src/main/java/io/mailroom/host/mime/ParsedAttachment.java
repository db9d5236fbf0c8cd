package io.mailroom.host.mime;

import io.mailroom.api.message.AttachmentInfo;

/**
 * One attachment of a parsed message (also inline images and attached messages). Its bytes are
 * not held: they are read again from the raw message at {@code part} when they are downloaded.
 *
 * @param index       position among the message's attachments, from 0, in MIME tree order
 * @param filename    decoded and stripped of any path; generated ({@code attachment-1.pdf}) when the part has none
 * @param contentType the MIME type without parameters, lower-cased
 * @param size        decoded size in bytes
 * @param sha256      hex SHA-256 of the decoded bytes: equal bytes, equal hash, whatever the name
 * @param contentId   the Content-ID without angle brackets (what {@code cid:} URLs in the HTML name), or null
 * @param inline      whether the part was marked {@code Content-Disposition: inline}
 * @param stored      false when the attachment was over the size limit and only this metadata was kept
 * @param part        where it is in the raw message, numbered as IMAP numbers body parts ({@code 2.1}; {@code 1}
 *                    for a message that is not multipart), what {@link MessageParser#copyAttachment} finds
 */
public record ParsedAttachment(int index, String filename, String contentType, long size, String sha256,
                               String contentId, boolean inline, boolean stored, String part) {

    /** The API's view of it. */
    public AttachmentInfo toInfo() {
        return new AttachmentInfo(index, filename, contentType, size, stored);
    }
}
