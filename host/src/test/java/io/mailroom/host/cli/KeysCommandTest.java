package io.mailroom.host.cli;

import io.mailroom.host.mailboxes.MailboxSinkDao;
import io.mailroom.host.outbound.SmtpSettings;
import io.mailroom.host.rules.StoredAction;
import io.mailroom.host.secrets.MasterKeys;
import io.mailroom.host.secrets.SecretSealer;
import io.mailroom.host.store.Database;
import io.mailroom.host.store.TestDatabase;
import io.mailroom.host.webhooks.WebhookDelivery;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key rotation as an operator does it: secrets sealed under key A, the hosts restarted with
 * "B,A", {@code mailroom keys reseal}, then only B configured: every secret still opens.
 */
class KeysCommandTest {

    private static final String KEY_A = MasterKeys.newKey();
    private static final String KEY_B = MasterKeys.newKey();

    @TempDir
    Path dir;
    private String url;
    private Database database;
    private Jdbi jdbi;
    private final SecretSealer underA = sealer(KEY_A);

    /** Not for {@code generate}, which needs no database. */
    private void sealEverythingUnderA() {
        url = TestDatabase.freshDatabaseUrl();
        database = Database.open(TestDatabase.config(url));
        jdbi = database.jdbi();
        System.setProperty("mailroom.db.url", url);
        System.setProperty("mailroom.data.dir", dir.resolve("data").toString());
        System.setProperty("mailroom.plugins.dir", dir.resolve("plugins").toString());
        System.setProperty("mailroom.secret.key", KEY_B + "," + KEY_A);
        jdbi.useHandle(handle -> {
            handle.execute("INSERT INTO users (id, name, email, role) VALUES (1, 'Ann', 'ann@example.test', 'superadmin')");
            for (long mailbox = 1; mailbox <= 3; mailbox++) {
                handle.createUpdate("INSERT INTO mailboxes (id, owner_user_id, name, email, source, settings, sink, sink_settings)"
                                + " VALUES (:id, 1, 'support', 'support@example.test', 'imap', CAST(:settings AS jsonb),"
                                + " 'webhook', CAST(:sink AS jsonb))")
                        .bind("id", mailbox)
                        .bind("settings", "{\"host\": \"imap.example.test\", \"password\": \""
                                + underA.seal("test-password-" + mailbox, "mailbox:" + mailbox + ":password") + "\"}")
                        .bind("sink", "{\"url\": \"https://hooks.example.test/\", \"secret\": \""
                                + underA.seal("test-sink-secret-" + mailbox, MailboxSinkDao.secretOwner(mailbox) + ":secret")
                                + "\"}")
                        .execute();
                handle.createUpdate("INSERT INTO mailbox_smtp (mailbox_id, host, port, security, username, password)"
                                + " VALUES (:id, 'smtp.example.test', 587, 'starttls', 'support', :password)")
                        .bind("id", mailbox).bind("password", underA.seal("test-smtp-" + mailbox, SmtpSettings.secretContext(mailbox)))
                        .execute();
                handle.createUpdate("INSERT INTO oauth_grants (mailbox_id, provider, access_token, refresh_token, expires_at)"
                                + " VALUES (:id, 'google', :access, :refresh, now())")
                        .bind("id", mailbox)
                        .bind("access", underA.seal("test-access-" + mailbox, "mailbox:" + mailbox + ":access_token"))
                        .bind("refresh", underA.seal("test-refresh-" + mailbox, "mailbox:" + mailbox + ":refresh_token"))
                        .execute();
                handle.createUpdate("INSERT INTO webhook_deliveries (idempotency_key, mailbox_id, url, secret, body, next_attempt_at)"
                                + " VALUES (:key, :id, 'https://hooks.example.test/', :secret, '{}', now())")
                        .bind("key", "m" + mailbox + ":r1:a0").bind("id", mailbox)
                        .bind("secret", underA.seal("test-webhook-" + mailbox, WebhookDelivery.secretContext("m" + mailbox + ":r1:a0")))
                        .execute();
            }
            handle.createUpdate("INSERT INTO oauth_providers (id, settings) VALUES ('google', CAST(:settings AS jsonb))")
                    .bind("settings", "{\"client_id\": \"test-client\", \"client_secret\": \""
                            + underA.seal("test-client-secret", "oauth-provider:google:client_secret") + "\"}")
                    .execute();
            handle.createUpdate("INSERT INTO rules (id, owner_user_id, mailbox_id, name, actions) VALUES (7, 1, 1, 'hook', CAST(:actions AS jsonb))")
                    .bind("actions", StoredAction.toJson(List.of(
                            new StoredAction("tag", Map.of("tags", "invoice"), List.of()),
                            new StoredAction("webhook", Map.of("url", "https://hooks.example.test/",
                                    "secret", underA.seal("test-rule-secret", StoredAction.secretContext(7, 1, "secret"))),
                                    List.of("secret")))))
                    .execute();
        });
    }

    @AfterEach
    void forget() {
        if (database != null) {
            database.close();
        }
        for (String key : List.of("mailroom.db.url", "mailroom.data.dir", "mailroom.plugins.dir", "mailroom.secret.key")) {
            System.clearProperty(key);
        }
    }

    @Test
    void reseal_moves_every_secret_to_the_first_key_so_the_old_one_can_go() {
        sealEverythingUnderA();
        CommandRun run = CommandRun.of("keys", "reseal");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        // 3 mailboxes × (password, sink secret, smtp, access, refresh, webhook delivery) + client secret + rule secret
        assertThat(run.out()).contains("mailboxes.settings", "oauth_grants.refresh_token", "rules.actions")
                .contains("Every stored secret is sealed under key " + sealer(KEY_B).currentKeyId());
        assertThat(resealedTotal(run.out())).isEqualTo(3 * 6 + 2);
        assertThat(valuesSealedUnder(underA.currentKeyId())).as("values still sealed under A, by column").isEmpty();

        SecretSealer onlyB = sealer(KEY_B);
        Map<String, String> stored = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT m.settings->>'password' AS password, m.sink_settings->>'secret' AS sink, s.password AS smtp,"
                        + " g.access_token AS access, g.refresh_token AS refresh, w.secret AS webhook"
                        + " FROM mailboxes m JOIN mailbox_smtp s ON s.mailbox_id = m.id JOIN oauth_grants g ON g.mailbox_id = m.id"
                        + " JOIN webhook_deliveries w ON w.mailbox_id = m.id WHERE m.id = 2").mapToMap(String.class).one());
        assertThat(onlyB.open(stored.get("password"), "mailbox:2:password")).isEqualTo("test-password-2");
        assertThat(onlyB.open(stored.get("sink"), MailboxSinkDao.secretOwner(2) + ":secret")).isEqualTo("test-sink-secret-2");
        assertThat(onlyB.open(stored.get("smtp"), SmtpSettings.secretContext(2))).isEqualTo("test-smtp-2");
        assertThat(onlyB.open(stored.get("access"), "mailbox:2:access_token")).isEqualTo("test-access-2");
        assertThat(onlyB.open(stored.get("refresh"), "mailbox:2:refresh_token")).isEqualTo("test-refresh-2");
        assertThat(onlyB.open(stored.get("webhook"), WebhookDelivery.secretContext("m2:r1:a0"))).isEqualTo("test-webhook-2");
        String clientSecret = jdbi.withHandle(handle -> handle.createQuery(
                "SELECT settings->>'client_secret' FROM oauth_providers WHERE id = 'google'").mapTo(String.class).one());
        assertThat(onlyB.open(clientSecret, "oauth-provider:google:client_secret")).isEqualTo("test-client-secret");
        List<StoredAction> actions = StoredAction.parse(jdbi.withHandle(handle -> handle.createQuery(
                "SELECT actions::text FROM rules WHERE id = 7").mapTo(String.class).one()));
        assertThat(onlyB.open(actions.get(1).data().get("secret"), StoredAction.secretContext(7, 1, "secret")))
                .isEqualTo("test-rule-secret");
        assertThat(actions.get(0).data()).containsEntry("tags", "invoice");

        CommandRun again = CommandRun.of("keys", "reseal");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(resealedTotal(again.out())).as("a second run changes nothing").isZero();
    }

    @Test
    void a_value_sealed_under_a_key_that_is_not_configured_is_named_and_the_rest_is_resealed() {
        sealEverythingUnderA();
        SecretSealer unknown = sealer(MasterKeys.newKey());
        jdbi.useHandle(handle -> handle.createUpdate("UPDATE mailbox_smtp SET password = :password WHERE mailbox_id = 3")
                .bind("password", unknown.seal("test-smtp-3", SmtpSettings.secretContext(3))).execute());

        CommandRun run = CommandRun.of("keys", "reseal");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("mailbox_smtp.password row 3: sealed with key " + unknown.currentKeyId()
                + ", which is not configured").contains("1 sealed values did not open").doesNotContain("test-smtp-3");
        assertThat(resealedTotal(run.out())).isEqualTo(3 * 6 + 2 - 1);
        assertThat(valuesSealedUnder(underA.currentKeyId())).isEmpty();
    }

    @Test
    void reseal_without_any_master_key_refuses_and_makes_no_key_file() {
        System.setProperty("mailroom.data.dir", dir.resolve("data").toString());

        CommandRun run = CommandRun.of("keys", "reseal");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("No master key");
        assertThat(dir.resolve("data/secret.key")).doesNotExist();
    }

    @Test
    void generate_prints_a_new_key_that_mailroom_accepts() {
        CommandRun run = CommandRun.of("keys", "generate");

        assertThat(run.exit()).isZero();
        String key = run.out().strip();
        assertThat(Base64.getDecoder().decode(key)).hasSize(32);
        assertThat(sealer(key).open(sealer(key).seal("x", "c"), "c")).isEqualTo("x");
    }

    /** Every text or JSON column of the database, with how many of its values are sealed under the key. */
    private Map<String, Long> valuesSealedUnder(String keyId) {
        return jdbi.withHandle(handle -> {
            Map<String, Long> found = new java.util.TreeMap<>();
            List<Map<String, Object>> columns = handle.createQuery("SELECT table_name, column_name FROM information_schema.columns"
                    + " WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'character varying')").mapToMap().list();
            for (Map<String, Object> column : columns) {
                String name = column.get("table_name") + "." + column.get("column_name");
                long count = handle.createQuery("SELECT count(*) FROM \"" + column.get("table_name") + "\" WHERE \""
                                + column.get("column_name") + "\"::text LIKE :sealed")
                        .bind("sealed", "%v1:" + keyId + ":%").mapTo(Long.class).one();
                if (count > 0) {
                    found.put(name, count);
                }
            }
            return found;
        });
    }

    /** The RESEALED column of the report, added up. */
    private static long resealedTotal(String report) {
        return report.lines().filter(line -> line.matches("^[a-z_]+\\.[a-z_]+ .*"))
                .mapToLong(line -> Long.parseLong(line.trim().split("\\s+")[1])).sum();
    }

    private static SecretSealer sealer(String key) {
        return new SecretSealer(MasterKeys.of(List.of(Base64.getDecoder().decode(key))));
    }
}
