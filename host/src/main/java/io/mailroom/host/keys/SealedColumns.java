package io.mailroom.host.keys;

import io.mailroom.host.mailboxes.Mailbox;
import io.mailroom.host.mailboxes.MailboxSinkDao;
import io.mailroom.host.oauth.OAuthProviders;
import io.mailroom.host.oauth.OAuthTokens;
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
            new SealedColumn("mailboxes", "id", "bigint", "settings", "jsonb", null, SealedLayout.SETTINGS,
                    row -> Mailbox.secretOwner(Long.parseLong(row.id()))),
            new SealedColumn("mailboxes", "id", "bigint", "sink_settings", "jsonb", null, SealedLayout.SETTINGS,
                    row -> MailboxSinkDao.secretOwner(Long.parseLong(row.id()))),
            new SealedColumn("mailbox_smtp", "mailbox_id", "bigint", "password", "text", null, SealedLayout.PLAIN,
                    row -> SmtpSettings.secretContext(Long.parseLong(row.id()))),
            new SealedColumn("oauth_grants", "mailbox_id", "bigint", "access_token", "text", null, SealedLayout.PLAIN,
                    row -> OAuthTokens.secretContext(Long.parseLong(row.id()), OAuthTokens.ACCESS_TOKEN)),
            new SealedColumn("oauth_grants", "mailbox_id", "bigint", "refresh_token", "text", null, SealedLayout.PLAIN,
                    row -> OAuthTokens.secretContext(Long.parseLong(row.id()), OAuthTokens.REFRESH_TOKEN)),
            // a provider's installation settings set through the API
            new SealedColumn("oauth_providers", "id", "text", "settings", "jsonb", null, SealedLayout.SETTINGS,
                    row -> OAuthProviders.secretOwner(row.id())),
            new SealedColumn("rules", "id", "bigint", "actions", "jsonb", null, SealedLayout.RULE_ACTIONS,
                    SealedColumn.SealedRow::id),
            new SealedColumn("webhook_deliveries", "id", "bigint", "secret", "text", "idempotency_key",
                    SealedLayout.PLAIN, row -> WebhookDelivery.secretContext(row.extra())));

    private SealedColumns() {
    }
}
