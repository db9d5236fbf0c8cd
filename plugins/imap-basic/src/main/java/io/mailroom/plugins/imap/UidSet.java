package io.mailroom.plugins.imap;

import java.util.ArrayList;
import java.util.List;

/** IMAP UID sets ({@code 1:4,7,9:12}) for ascending UIDs, cut so no command line grows too long. */
final class UidSet {

    /** Servers accept lines of 8 KB at least (RFC 7162 asks clients to stay below that). */
    private static final int MAX_LENGTH = 7000;

    private UidSet() {
    }

    /** One set for all, or several when the UIDs are too scattered for one command line. */
    static List<String> of(long[] ascending) {
        List<String> sets = new ArrayList<>();
        StringBuilder set = new StringBuilder();
        int i = 0;
        while (i < ascending.length) {
            int j = i;
            while (j + 1 < ascending.length && ascending[j + 1] == ascending[j] + 1) {
                j++;
            }
            String range = i == j ? Long.toString(ascending[i]) : ascending[i] + ":" + ascending[j];
            if (set.length() + range.length() + 1 > MAX_LENGTH) {
                sets.add(set.toString());
                set.setLength(0);
            }
            if (!set.isEmpty()) {
                set.append(',');
            }
            set.append(range);
            i = j + 1;
        }
        if (!set.isEmpty()) {
            sets.add(set.toString());
        }
        return sets;
    }
}
