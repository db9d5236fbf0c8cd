package io.mailroom.host.templates;

import java.time.Instant;

/** A stored mail template: subject, text and html with {@code {{variable}}} placeholders. */
public record Template(long id, long userId, String name, String subject, String textBody, String htmlBody,
                       Instant createdAt, Instant updatedAt) {
}
