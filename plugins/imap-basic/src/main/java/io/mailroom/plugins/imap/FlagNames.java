package io.mailroom.plugins.imap;

import jakarta.mail.Flags;

import java.util.HashSet;
import java.util.Set;

/** Flags as IMAP writes them ({@code \Seen}, {@code $Forwarded}). */
final class FlagNames {

    private FlagNames() {
    }

    /**
     * The stored flags of a message. {@code \Recent} is left out: it belongs to the session
     * that saw the message first, not to the message, and would read as a change every sync.
     */
    static Set<String> of(Flags flags) {
        Set<String> names = new HashSet<>();
        for (Flags.Flag flag : flags.getSystemFlags()) {
            if (flag == Flags.Flag.ANSWERED) {
                names.add("\\Answered");
            } else if (flag == Flags.Flag.DELETED) {
                names.add("\\Deleted");
            } else if (flag == Flags.Flag.DRAFT) {
                names.add("\\Draft");
            } else if (flag == Flags.Flag.FLAGGED) {
                names.add("\\Flagged");
            } else if (flag == Flags.Flag.SEEN) {
                names.add("\\Seen");
            }
        }
        names.addAll(java.util.Arrays.asList(flags.getUserFlags()));
        return names;
    }
}
