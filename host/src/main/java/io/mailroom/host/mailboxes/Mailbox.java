package io.mailroom.host.mailboxes;

import java.time.Instant;
import java.util.List;

/**
 * A mailbox as stored. {@code settings} is the JSON object of the source's settings with
 * secret values sealed for the owner {@code mailbox:<id>}. {@code firstSyncDays} null: the first
 * sync of a folder takes all mail (no window).
 */
public record Mailbox(long id, Long ownerUserId, String name, String email, String source, String auth,
                      String settings, List<String> folders, Integer firstSyncDays, int maxMessagesPerPoll,
                      boolean unreadOnly, boolean markAsRead, String moveProcessedTo, boolean enabled,
                      String status, String lastError, Instant lastSyncAt, Instant lastSuccessAt,
                      int consecutiveFailures, String schedule, int priority, boolean push) {

    public Mailbox {
        folders = List.copyOf(folders);
    }


    /** The owner a secret of this mailbox is sealed for. */
    public String secretOwner() {
        return secretOwner(id);
    }

    /** The owner the secrets of mailbox {@code id} are sealed for (each setting for {@code <owner>:<name>}). */
    public static String secretOwner(long id) {
        return "mailbox:" + id;
    }
}
