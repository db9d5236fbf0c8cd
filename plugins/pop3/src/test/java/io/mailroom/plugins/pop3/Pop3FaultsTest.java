package io.mailroom.plugins.pop3;

import io.mailroom.api.PermanentException;
import io.mailroom.api.TemporaryException;
import io.mailroom.api.source.MailboxAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Faults staged by a scripted POP3 server: a connection dropped in a RETR, a server without UIDL. */
@Timeout(30)
class Pop3FaultsTest {

    private final TestContext context = new TestContext();
    private final Pop3Source source = new Pop3Source(null, Duration.ofSeconds(5));

    private static MailboxAccount account(ScriptedPop3Server server, String serverCopy) {
        return TestMessages.account("127.0.0.1", server.port(), "none", "alice", "secret", "server_copy", serverCopy);
    }

    private static List<byte[]> fill(ScriptedPop3Server server, int count) {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            byte[] content = TestMessages.message(i, Instant.now().minus(Duration.ofHours(count - i)), i * 1000);
            contents.add(content);
            server.add("uidl-" + i, content);
        }
        return contents;
    }

    @ParameterizedTest(name = "with pipelining {0}")
    @ValueSource(booleans = {true, false})
    void a_connection_dropped_in_the_middle_of_a_retr_is_temporary_and_the_next_run_has_no_gap_and_no_duplicate(
            boolean pipelining) throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            if (!pipelining) {
                server.withoutPipelining();
            }
            List<byte[]> contents = fill(server, 6);
            server.dropDuringRetrOf("uidl-4");
            PipelineDriver host = new PipelineDriver(source, context).batches(2, Long.MAX_VALUE);

            assertThatThrownBy(() -> host.sync(account(server, "delete_after_import")))
                    .isInstanceOf(TemporaryException.class)
                    .hasMessageContaining("127.0.0.1:" + server.port());
            assertThat(host.stored()).containsOnlyKeys("uidl-1", "uidl-2");
            // the DELEs of the session that broke never took effect: no QUIT
            assertThat(server.uidls()).hasSize(6);

            host.sync(account(server, "delete_after_import"));

            Map<String, byte[]> stored = host.stored();
            assertThat(stored).containsOnlyKeys("uidl-1", "uidl-2", "uidl-3", "uidl-4", "uidl-5", "uidl-6");
            for (int i = 1; i <= 6; i++) {
                assertThat(stored.get("uidl-" + i)).as("message %d, byte for byte", i).isEqualTo(contents.get(i - 1));
            }
            assertThat(host.committedTwice()).isEmpty();
            assertThat(server.retrievals("uidl-1")).isEqualTo(1);
            assertThat(server.retrievals("uidl-2")).isEqualTo(1);
            assertThat(server.retrievals("uidl-6")).isEqualTo(1);
            assertThat(server.uidls()).isEmpty();
        }
    }

    @Test
    void a_server_without_uidl_is_refused_with_a_clear_message() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().withoutUidl()) {
            fill(server, 2);

            assertThatThrownBy(() -> source.connect(account(server, "keep"), context))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("does not support UIDL")
                    .hasMessageContaining("exactly once");
            assertThat(server.retrievals("uidl-1")).isZero();
        }
    }

    @Test
    void starttls_against_a_server_without_stls_is_refused_before_any_password_is_sent() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            MailboxAccount account = TestMessages.account("127.0.0.1", server.port(), "starttls", "alice", "secret");

            assertThatThrownBy(() -> source.connect(account, context))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("refused STLS");
            assertThat(server.logins()).isZero();
        }
    }

    @Test
    void a_locked_maildrop_is_temporary_not_a_wrong_password() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().refusingLogins("-ERR [IN-USE] Mailbox is locked")) {
            assertThatThrownBy(() -> source.connect(account(server, "keep"), context))
                    .isInstanceOf(TemporaryException.class)
                    .hasMessageContaining("[IN-USE]");
        }
    }

    @Test
    void what_the_server_says_in_a_refusal_is_quoted_short_and_printable() throws Exception {
        String hostile = "-ERR \u001b[2J\u0007go away " + "x".repeat(5000);
        try (ScriptedPop3Server server = new ScriptedPop3Server().refusingLogins(hostile)) {
            assertThatThrownBy(() -> source.connect(account(server, "keep"), context))
                    .isInstanceOf(io.mailroom.api.AuthenticationFailedException.class)
                    .hasMessageContaining("go away")
                    .satisfies(e -> {
                        assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("\u001b").doesNotContain("\u0007");
                    });
        }
    }

    @Test
    void keep_reads_byte_for_byte_and_deletes_nothing() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            List<byte[]> contents = fill(server, 3);
            PipelineDriver host = new PipelineDriver(source, context);

            host.sync(account(server, "keep"));
            host.sync(account(server, "keep"));

            assertThat(host.stored().values()).containsExactlyElementsOf(contents);
            assertThat(server.uidls()).hasSize(3);
            assertThat(server.retrievals("uidl-3")).isEqualTo(1);
        }
    }
}
