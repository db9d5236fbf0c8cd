package io.mailroom.host.directory;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What counts as an email address and a domain in the directory: checked once here, for the API
 * and for plugins alike. Both patterns are anchored with no nested repetition (linear).
 */
final class DirectoryNames {

    static final int MAX_EMAIL = 254;
    static final int MAX_NAME = 200;
    static final int MAX_DOMAINS = 100;

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern LOCAL = Pattern.compile("[^\\s@<>()\\[\\],;:\"\\\\]{1,64}");

    private DirectoryNames() {
    }

    /** The domain in lower case, or null when it is not a domain name. */
    static String domain(String given) {
        if (given == null || given.length() > 253) {
            return null;
        }
        String domain = given.strip().toLowerCase(Locale.ROOT);
        return DOMAIN.matcher(domain).matches() ? domain : null;
    }

    /** The address stripped, or null when it is not {@code local@domain}. */
    static String email(String given) {
        if (given == null || given.length() > MAX_EMAIL) {
            return null;
        }
        String email = given.strip();
        int at = email.lastIndexOf('@');
        if (at <= 0 || !LOCAL.matcher(email.substring(0, at)).matches() || domain(email.substring(at + 1)) == null) {
            return null;
        }
        return email;
    }

    /** The domain part of a checked address, lower case. */
    static String domainOf(String email) {
        return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
