package io.mailroom.api.source;

import io.mailroom.api.Settings;

import java.util.Objects;

/**
 * The mailbox a source connects to.
 *
 * @param mailboxId  the host's id, for logs only
 * @param email      the mailbox's address
 * @param settings   the source's validated settings (host, port, security…)
 * @param credential how to log in; the host resolved it (a password, or a fresh OAuth token)
 *
 * <p>{@link #toString()} shows no secret: the settings' and the credential's hide theirs.
 */
public record MailboxAccount(long mailboxId, String email, Settings settings, Credential credential) {

    public MailboxAccount {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(credential, "credential");
    }

    @Override
    public String toString() {
        return "MailboxAccount[mailboxId=" + mailboxId + ", email=" + email + ", settings=" + settings
                + ", credential=" + credential + "]";
    }
}
