package io.mailroom.plugins.pop3;

import io.mailroom.api.AuthenticationFailedException;
import io.mailroom.api.Settings;
import io.mailroom.api.source.Credential;
import io.mailroom.api.source.MailboxAccount;
import io.mailroom.api.source.SourceConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** XOAUTH2 against a server that takes only Microsoft 365's two-step POP3 form. */
@Timeout(30)
class Pop3XOAuth2Test {

    private final TestContext context = new TestContext();
    private final Pop3Source source = new Pop3Source(null, Duration.ofSeconds(5));

    private static MailboxAccount account(ScriptedPop3Server server, String token) {
        MailboxAccount base = TestMessages.account("127.0.0.1", server.port(), "none", "alice", "unused");
        return new MailboxAccount(1, "alice@example.com", Settings.of(base.settings().values()),
                Credential.xoauth2("alice", token));
    }

    @Test
    void a_server_refusing_the_one_line_form_gets_the_two_step_form() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            server.add("uidl-1", TestMessages.message(1, Instant.now(), 100));

            try (SourceConnection connection = source.connect(account(server, "token-1"), context)) {
                assertThat(connection.folders().getFirst().messages()).isEqualTo(1);
            }
            assertThat(server.logins()).isEqualTo(1);
        }
    }

    @Test
    void a_token_the_two_step_form_refuses_is_an_authentication_failure_without_the_token() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            assertThatThrownBy(() -> source.connect(account(server, "expired-token"), context))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("unknown user name or bad password")
                    .hasMessageNotContaining("expired-token");
        }
    }
}
