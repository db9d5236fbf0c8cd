package io.mailroom.host.outbound;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** The SMTP settings of mailboxes. */
public interface SmtpSettingsDao {

    @SqlQuery("SELECT * FROM mailbox_smtp WHERE mailbox_id = :mailboxId")
    Optional<SmtpSettings> find(@Bind("mailboxId") long mailboxId);

    /** Takes the mailbox's sending row lock: the rate limit is counted and spent under it. */
    @SqlQuery("SELECT * FROM mailbox_smtp WHERE mailbox_id = :mailboxId FOR UPDATE")
    Optional<SmtpSettings> lock(@Bind("mailboxId") long mailboxId);

    @SqlUpdate("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, username, password, rate_per_minute, "
            + "signature_text, signature_html, save_sent) VALUES (:mailboxId, :host, :port, :security, :username, :password, "
            + ":ratePerMinute, :signatureText, :signatureHtml, :saveSent) ON CONFLICT (mailbox_id) DO UPDATE SET host = :host, "
            + "port = :port, security = :security, username = :username, password = :password, "
            + "rate_per_minute = :ratePerMinute, signature_text = :signatureText, signature_html = :signatureHtml, "
            + "save_sent = :saveSent")
    void save(@BindMethods SmtpSettings settings);

    /** Settings for a mailbox that has none; existing ones are kept. */
    @SqlUpdate("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, rate_per_minute) "
            + "VALUES (:mailboxId, :host, :port, :security, :ratePerMinute) ON CONFLICT (mailbox_id) DO NOTHING")
    void saveIfAbsent(@BindMethods SmtpSettings settings);

    @SqlUpdate("DELETE FROM mailbox_smtp WHERE mailbox_id = :mailboxId")
    void delete(@Bind("mailboxId") long mailboxId);
}
