package io.mailroom.host.mailboxes;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.config.MessagesPerPoll;
import io.mailroom.host.errors.ApiException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a mailbox's fields (all but the source's settings) and fills in defaults, naming the
 * first offending field. On update, a field not given keeps its current value.
 */
final class MailboxInputCheck {

    static final int MAX_FIRST_SYNC_DAYS = 36_500;
    static final int DEFAULT_FIRST_SYNC_DAYS = 365;
    static final int MAX_PRIORITY = 1000;
    private static final Pattern OAUTH = Pattern.compile("oauth:[a-z0-9_-]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private MailboxInputCheck() {
    }

    /** The mailbox as it will be saved (settings aside), or a 400 naming the bad field. */
    static Mailbox check(MailboxInput in, Mailbox current, Long ownerUserId, int defaultMaxMessagesPerPoll,
                         Duration minScheduleInterval) {
        String name = text(in.name(), current == null ? null : current.name(), "name");
        String email = text(in.email(), current == null ? null : current.email(), "email");
        if (!EMAIL.matcher(email).matches()) {
            throw ApiException.invalid("email", "email must be an address like support@example.com");
        }
        String source = text(in.source(), current == null ? null : current.source(), "source");
        String auth = in.auth() != null ? in.auth() : current == null ? "password" : current.auth();
        if (!auth.equals("password") && !OAUTH.matcher(auth).matches()) {
            throw ApiException.invalid("auth", "auth must be 'password' or 'oauth:<provider id>' (oauth:google, oauth:microsoft)");
        }
        List<String> folders = folders(in.folders() != null ? in.folders() : current == null ? List.of("INBOX") : current.folders());
        Integer firstSyncDays = firstSyncDays(in.firstSyncDays(), current);
        int maxPerPoll = number(in.maxMessagesPerPoll(), current == null ? defaultMaxMessagesPerPoll : current.maxMessagesPerPoll(),
                "max_messages_per_poll", MessagesPerPoll.MIN, MessagesPerPoll.MAX);
        String moveTo = in.moveProcessedTo() != null ? blankToNull(in.moveProcessedTo())
                : current == null ? null : current.moveProcessedTo();
        boolean enabled = in.enabled() != null ? in.enabled() : current == null || current.enabled();
        String schedule = in.schedule() != null ? schedule(in.schedule(), minScheduleInterval)
                : current == null ? null : current.schedule();
        int priority = number(in.priority(), current == null ? 0 : current.priority(), "priority", 0, MAX_PRIORITY);
        boolean push = in.push() != null ? in.push() : current != null && current.push();
        return new Mailbox(current == null ? 0 : current.id(), ownerUserId, name, email.toLowerCase(java.util.Locale.ROOT),
                source, auth, current == null ? "{}" : current.settings(), folders, firstSyncDays, maxPerPoll,
                in.unreadOnly() != null ? in.unreadOnly() : current != null && current.unreadOnly(),
                in.markAsRead() != null ? in.markAsRead() : current != null && current.markAsRead(),
                moveTo, enabled, current == null ? (enabled ? "active" : "disabled") : current.status(),
                current == null ? null : current.lastError(), current == null ? null : current.lastSyncAt(),
                current == null ? null : current.lastSuccessAt(), current == null ? 0 : current.consecutiveFailures(),
                schedule, priority, push);
    }

    private static String text(String given, String current, String path) {
        String value = given != null ? given.trim() : current;
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(path, path + " must not be empty");
        }
        return value;
    }

    private static List<String> folders(List<String> given) {
        if (given.isEmpty()) {
            throw ApiException.invalid("folders", "folders must name at least one folder");
        }
        List<String> folders = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String folder = given.get(i);
            if (folder == null || folder.isBlank()) {
                throw ApiException.invalid("folders[" + i + "]", "a folder name must not be empty");
            }
            if (!folders.contains(folder)) {
                folders.add(folder);
            }
        }
        return folders;
    }

    /**
     * Left out: the current value (365 for a new mailbox); {@code null}: all mail; else a whole
     * number of days from 0 ("from now on") to {@link #MAX_FIRST_SYNC_DAYS}.
     */
    private static Integer firstSyncDays(JsonNode given, Mailbox current) {
        if (given == null) {
            // not a ?: expression, which would unbox the current null ("all mail")
            if (current == null) {
                return DEFAULT_FIRST_SYNC_DAYS;
            }
            return current.firstSyncDays();
        }
        if (given.isNull()) {
            return null;
        }
        if (!given.isIntegralNumber() || !given.canConvertToInt()) {
            throw ApiException.invalid("first_sync_days", "first_sync_days must be a whole number of days between 0 and "
                    + MAX_FIRST_SYNC_DAYS + ", or null for all mail");
        }
        return number(given.intValue(), 0, "first_sync_days", 0, MAX_FIRST_SYNC_DAYS);
    }

    private static int number(Integer given, int current, String path, int min, int max) {
        int value = given != null ? given : current;
        if (value < min || value > max) {
            throw ApiException.invalid(path, path + " must be between " + min + " and " + max);
        }
        return value;
    }

    /**
     * A Quartz cron expression that fires, never twice within the least interval; or null (an
     * empty one) for every poll frequency.
     */
    private static String schedule(String given, Duration minInterval) {
        String schedule = blankToNull(given);
        if (schedule == null) {
            return null;
        }
        CronRules.problem(schedule, minInterval, Instant.now()).ifPresent(problem -> {
            throw ApiException.invalid("schedule", problem);
        });
        return schedule;
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value.trim();
    }
}
