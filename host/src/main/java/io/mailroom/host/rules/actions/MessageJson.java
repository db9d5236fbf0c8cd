package io.mailroom.host.rules.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.api.message.Address;
import io.mailroom.api.message.AttachmentInfo;
import io.mailroom.api.message.MessageView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The JSON a {@code webhook} posts about a message, snake_case as in the HTTP API: {@code id},
 * {@code mailbox_id}, {@code message_id}, {@code thread_id}, {@code from} and each of {@code to},
 * {@code cc} as {@code {"name","email"}}, {@code subject}, {@code date} (ISO-8601 UTC),
 * {@code text}, {@code classification}, {@code tags} (sorted), {@code attachments} (metadata:
 * {@code index, filename, content_type, size, stored}). Built when the delivery is queued, so
 * every attempt posts the same bytes.
 */
final class MessageJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MessageJson() {
    }

    static String of(MessageView message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", message.id());
        body.put("mailbox_id", message.mailboxId());
        body.put("message_id", message.messageId());
        body.put("thread_id", message.threadId());
        body.put("from", message.from() == null ? null : address(message.from()));
        body.put("to", message.to().stream().map(MessageJson::address).toList());
        body.put("cc", message.cc().stream().map(MessageJson::address).toList());
        body.put("subject", message.subject());
        body.put("date", message.date() == null ? null : message.date().toString());
        body.put("text", message.text());
        body.put("classification", message.classification() == null ? null : message.classification().id());
        body.put("tags", List.copyOf(new TreeSet<>(message.tags())));
        body.put("attachments", message.attachments().stream().map(MessageJson::attachment).toList());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> address(Address address) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", address.name().isEmpty() ? null : address.name());
        out.put("email", address.email());
        return out;
    }

    private static Map<String, Object> attachment(AttachmentInfo attachment) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", attachment.index());
        out.put("filename", attachment.filename());
        out.put("content_type", attachment.contentType());
        out.put("size", attachment.size());
        out.put("stored", attachment.stored());
        return out;
    }
}
