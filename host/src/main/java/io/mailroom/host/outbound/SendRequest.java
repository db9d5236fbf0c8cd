package io.mailroom.host.outbound;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/send}. Recipients ({@code to}, {@code cc}, {@code bcc}) are each a
 * string ({@code "Ann <ann@example.com>"}, or several separated by commas) or an array of such
 * strings or of {@code {"name","email"}} objects. {@code auto_submitted} ({@code auto-replied} or
 * {@code auto-generated}) marks automatic mail. {@code quote}: a reply quotes the original below the
 * signature.
 */
public record SendRequest(Long mailboxId, JsonNode to, JsonNode cc, JsonNode bcc, String subject, String text,
                          String html, List<AttachmentInput> attachments, Long templateId, Map<String, Object> context,
                          Long replyToMessageId, Boolean replyAll, String autoSubmitted, Boolean quote) {

    /** An attachment as sent: its bytes in base64. */
    public record AttachmentInput(String filename, String contentType, String contentBase64) {
    }
}
