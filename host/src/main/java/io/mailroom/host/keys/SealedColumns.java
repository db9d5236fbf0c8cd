package io.mailroom.host.keys;

import io.mailroom.host.mailboxes.MailboxSinkDao;
import io.mailroom.host.outbound.SmtpSettings;
import io.mailroom.host.webhooks.WebhookDelivery;

import java.util.List;

/**
 * Every column where the host stores a value sealed with the master key. A new place that stores
 * {@code SecretSealer} output belongs here, or a key rotation leaves it under the old key
 * ({@code KeysCommandTest} looks through every column of the database for such values).
 *
 * <p>Not here: {@code oauth_states.code_verifier}. An authorization under way lives ten minutes,
 * and its {@code state} is signed with the key that seals now, so it fails once the first key
 * changes whatever its verifier is sealed with: the admin starts it again.
 */
final class SealedColumns {

    static final List<SealedColumn> ALL = List.of(
            // a source's settings: sealed for mailbox:<id>:<setting> (Mailbox.secretOwner)
            new SealedColumn("mailboxes", "id", "bigint", "settings", "jsonb", null, SealedLayout.SETTINGS,
                    row -> "mailbox:" + row.id()),
            new SealedColumn("mailboxes", "id", "bigint", "sink_settings", "jsonb", null, SealedLayout.SETTINGS,
                    row -> MailboxSinkDao.secretOwner(Long.parseLong(row.id()))),
            new SealedColumn("mailbox_smtp", "mailbox_id", "bigint", "password", "text", null, SealedLayout.PLAIN,
                    row -> SmtpSettings.secretContext(Long.parseLong(row.id()))),
            // an OAuth grant's tokens: sealed for mailbox:<id>:access_token and :refresh_token (OAuthTokens)
            new SealedColumn("oauth_grants", "mailbox_id", "bigint", "access_token", "text", null, SealedLayout.PLAIN,
                    row -> "mailbox:" + row.id() + ":access_token"),
            new SealedColumn("oauth_grants", "mailbox_id", "bigint", "refresh_token", "text", null, SealedLayout.PLAIN,
                    row -> "mailbox:" + row.id() + ":refresh_token"),
            // a provider's installation settings set through the API: sealed for oauth-provider:<id>:<setting>
            new SealedColumn("oauth_providers", "id", "text", "settings", "jsonb", null, SealedLayout.SETTINGS,
                    row -> "oauth-provider:" + row.id()),
            new SealedColumn("rules", "id", "bigint", "actions", "jsonb", null, SealedLayout.RULE_ACTIONS,
                    SealedColumn.SealedRow::id),
            new SealedColumn("webhook_deliveries", "id", "bigint", "secret", "text", "idempotency_key",
                    SealedLayout.PLAIN, row -> WebhookDelivery.secretContext(row.extra())));

    private SealedColumns() {
    }
}
