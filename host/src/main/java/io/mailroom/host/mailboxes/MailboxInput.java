package io.mailroom.host.mailboxes;

import java.util.List;
import java.util.Map;

/** A mailbox as an API client sends it; on update, null fields stay as they are. */
public record MailboxInput(String name, String email, String source, String auth, Map<String, Object> settings,
                           List<String> folders, Integer firstSyncDays, Integer maxMessagesPerPoll,
                           Boolean unreadOnly, Boolean markAsRead, String moveProcessedTo, Boolean enabled,
                           Long ownerUserId, String schedule, Integer priority, Boolean push) {
}
