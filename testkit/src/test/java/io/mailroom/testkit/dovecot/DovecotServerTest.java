package io.mailroom.testkit.dovecot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DovecotServerTest {

    @TempDir
    static Path dir;
    static DovecotServer dovecot;

    @BeforeAll
    static void start() {
        dovecot = DovecotServer.start(dir, true).addUser("alice", "secret");
    }

    @AfterAll
    static void stop() {
        dovecot.close();
    }

    private static byte[] message(String subject) {
        return ("From: a@example.com\r\nTo: b@example.com\r\nSubject: " + subject + "\r\n\r\nHello\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void appends_messages_with_ascending_uids_and_flags() {
        dovecot.createFolder("alice", "Appends");
        long first = dovecot.append("alice", "Appends", message("one"), Instant.parse("2020-01-02T03:04:05Z"), "\\Seen");
        List<Long> more = dovecot.appendMany("alice", "Appends", List.of(message("two"), message("three")));

        assertThat(more).containsExactly(first + 1, first + 2);
        assertThat(dovecot.uids("alice", "Appends")).containsExactly(first, first + 1, first + 2);
        assertThat(dovecot.flags("alice", "Appends", first)).contains("\\Seen");
    }

    @Test
    void expunges_and_flags_like_another_client() {
        dovecot.createFolder("alice", "Other");
        List<Long> uids = dovecot.appendMany("alice", "Other", List.of(message("a"), message("b"), message("c")));

        dovecot.addFlags("alice", "Other", new long[]{uids.get(0)}, "\\Flagged");
        dovecot.expunge("alice", "Other", uids.get(1));

        assertThat(dovecot.flags("alice", "Other", uids.get(0))).contains("\\Flagged");
        assertThat(dovecot.uids("alice", "Other")).containsExactly(uids.get(0), uids.get(2));
    }

    @Test
    void a_recreated_folder_has_a_new_uidvalidity() {
        dovecot.createFolder("alice", "Again");
        dovecot.append("alice", "Again", message("x"));
        long before = dovecot.uidValidity("alice", "Again");

        long after = dovecot.recreateFolder("alice", "Again");

        assertThat(after).isNotEqualTo(before);
        assertThat(dovecot.uids("alice", "Again")).isEmpty();
    }

    @Test
    void restarts_on_the_same_ports_with_the_same_mail() {
        dovecot.createFolder("alice", "Kept");
        long uid = dovecot.append("alice", "Kept", message("kept"));
        int port = dovecot.imapPort();

        dovecot.restart();

        assertThat(dovecot.imapPort()).isEqualTo(port);
        assertThat(dovecot.uids("alice", "Kept")).containsExactly(uid);
    }

    @Test
    void comes_back_after_a_crash_with_the_same_mail() {
        dovecot.createFolder("alice", "Crash");
        long uid = dovecot.append("alice", "Crash", message("before the crash"));

        dovecot.crash();
        assertThat(dovecot.isRunning()).isFalse();
        dovecot.resume();

        assertThat(dovecot.uids("alice", "Crash")).containsExactly(uid);
    }

    @Test
    void runs_from_a_directory_whose_path_is_too_long_for_unix_sockets(@TempDir Path other) {
        Path deep = other.resolve("a-directory-with-a-rather-long-name/and-another-one-below-it/dovecot");
        try (DovecotServer second = DovecotServer.start(deep).addUser("bob", "pw")) {
            long uid = second.append("bob", "INBOX", message("deep"));

            assertThat(second.uids("bob", "INBOX")).containsExactly(uid);
        }
    }

    @Test
    void greets_on_pop3_and_on_tls_ports() throws Exception {
        try (Socket pop3 = new Socket("127.0.0.1", dovecot.pop3Port())) {
            assertThat(firstLine(pop3)).startsWith("+OK");
        }
        var tls = dovecot.certificate().orElseThrow().trustingContext().getSocketFactory();
        try (SSLSocket imaps = (SSLSocket) tls.createSocket("127.0.0.1", dovecot.imapsPort())) {
            assertThat(firstLine(imaps)).startsWith("* OK");
        }
        try (SSLSocket pop3s = (SSLSocket) tls.createSocket("127.0.0.1", dovecot.pop3sPort())) {
            assertThat(firstLine(pop3s)).startsWith("+OK");
        }
    }

    private static String firstLine(Socket socket) throws Exception {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
}
