package io.mailroom.plugins.ticketing.webhook;

import io.mailroom.api.message.Address;
import io.mailroom.api.message.AttachmentInfo;
import io.mailroom.api.message.MessageView;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the webhook posts: the message as the API shows it (snake_case, ISO-8601 times; no headers,
 * no HTML, attachments as metadata) and the ticket it is on, if the ticketing sink filed it.
 */
final class WebhookBody {

    static final String EVENT = "message.processed";

    private WebhookBody() {
    }

    static String of(MessageView message, Map<String, Object> ticket) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", EVENT);
        body.put("message", message(message));
        body.put("ticket", ticket);
        return Json.write(body);
    }

    private static Map<String, Object> message(MessageView message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", message.id());
        json.put("mailbox_id", message.mailboxId());
        json.put("folder", message.folder());
        json.put("message_id", message.messageId());
        json.put("in_reply_to", message.inReplyTo());
        json.put("references", message.references());
        json.put("thread_id", message.threadId());
        json.put("from", address(message.from()));
        json.put("to", message.to().stream().map(WebhookBody::address).toList());
        json.put("cc", message.cc().stream().map(WebhookBody::address).toList());
        json.put("subject", message.subject());
        json.put("date", message.date() == null ? null : message.date().toString());
        json.put("classification", message.classification() == null ? null : message.classification().id());
        json.put("flags", message.flags().stream().sorted().toList());
        json.put("tags", message.tags().stream().sorted().toList());
        json.put("text", message.text());
        json.put("attachments", message.attachments().stream().map(WebhookBody::attachment).toList());
        return json;
    }

    private static Map<String, Object> address(Address address) {
        if (address == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", address.name());
        json.put("email", address.email());
        return json;
    }

    private static Map<String, Object> attachment(AttachmentInfo attachment) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("index", attachment.index());
        json.put("filename", attachment.filename());
        json.put("content_type", attachment.contentType());
        json.put("size", attachment.size());
        json.put("stored", attachment.stored());
        return json;
    }
}
