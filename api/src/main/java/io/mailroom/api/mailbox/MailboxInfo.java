package io.mailroom.api.mailbox;

/**
 * A mailbox as an extension sees it: who owns it and where its mail belongs.
 *
 * @param companyId the company its mail belongs to when the sender's own is unknown, or null
 * @param sink      the id of the sink it delivers to, or null
 */
public record MailboxInfo(long id, String name, String email, long ownerUserId, Long companyId, String sink) {
}
