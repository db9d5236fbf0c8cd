package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A mailbox as an API client sends it; on update, null fields stay as they are.
 * {@code firstSyncDays} is the JSON as sent, because there an explicit {@code null} ("all mail")
 * differs from a field left out (keep the current value): Jackson hands a JSON {@code null} to a
 * {@link JsonNode} as a {@code NullNode} and a missing field as Java {@code null}. {@code smtp} is
 * kept by a {@link MailboxSection} (the outbound feature), and is JSON for the same reason, as are
 * {@code filterQuery}, {@code syncKnownOnly} and {@code contactsOnly} (the filters feature), and
 * {@code sink} with {@code sinkSettings} ({@link SinkSection}), and {@code companyId}
 * ({@link CompanySection}).
 */
public record MailboxInput(String name, String email, String source, String auth, Map<String, Object> settings,
                           List<String> folders, JsonNode firstSyncDays, Integer maxMessagesPerPoll,
                           Boolean unreadOnly, Boolean markAsRead, String moveProcessedTo, Boolean enabled,
                           Long ownerUserId, String schedule, Integer priority, Boolean push,
                           JsonNode smtp, JsonNode filterQuery, JsonNode syncKnownOnly, JsonNode contactsOnly,
                           JsonNode sink, JsonNode sinkSettings, JsonNode companyId) {
}
