package io.mailroom.api.message;

import java.util.Locale;

/** What kind of message the host judged it to be; rules use it to avoid mail loops. */
public enum Classification {
    NORMAL, AUTO_REPLY, BOUNCE, BULK;

    /** The id used in JSON and the database ({@code auto_reply}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
