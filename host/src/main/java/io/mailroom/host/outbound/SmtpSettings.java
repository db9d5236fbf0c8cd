package io.mailroom.host.outbound;

/**
 * A mailbox's SMTP server as stored: {@code password} sealed for {@code mailbox:<id>:smtp_password}
 * (null when none), {@code ratePerMinute} the most attempts the outbox starts per minute for the
 * mailbox, so a burst of automatic mail does not get the account blocked. {@code saveSent}: copy
 * sent mail to the server's Sent folder; null for the default (on for IMAP sources).
 */
public record SmtpSettings(long mailboxId, String host, int port, String security, String username, String password,
                           int ratePerMinute, String signatureText, String signatureHtml, Boolean saveSent) {

    public static final int DEFAULT_RATE_PER_MINUTE = 30;

    /** Whether sent mail is copied to the Sent folder of a mailbox reading from {@code source}. */
    public boolean savesSent(String source) {
        return saveSent != null ? saveSent : "imap".equals(source);
    }

    /** The owner and name a stored SMTP password is sealed for. */
    public static String secretContext(long mailboxId) {
        return "mailbox:" + mailboxId + ":smtp_password";
    }

    /** Whether a change to {@code other} moves where, or as whom, the mailbox logs in to send. */
    boolean sameLogin(String otherHost, int otherPort, String otherSecurity, String otherUsername) {
        return host.equals(otherHost) && port == otherPort && security.equals(otherSecurity)
                && java.util.Objects.equals(username, otherUsername);
    }
}
