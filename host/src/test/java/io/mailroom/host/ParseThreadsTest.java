package io.mailroom.host;

import io.mailroom.host.ApiClient.Reply;
import io.mailroom.host.schedule.ScriptedSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The threads that hash and parse new mail belong to one Mailroom: wired in MailroomCore, and gone when it stops. */
class ParseThreadsTest {

    private static List<Thread> parseThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("mailroom-parse-") && thread.isAlive()).toList();
    }

    @Test
    void the_parse_threads_of_a_mailroom_end_when_it_stops(@TempDir Path dir) throws Exception {
        ScriptedSource.install(dir);
        try (TestMailroom mailroom = TestMailroom.start(dir)) {
            Map<String, Object> body = ScriptedSource.mailbox("parsed@example.com", "ok", null);
            body.put("settings", Map.of("mode", "ok", "messages", 20));
            long id = ScriptedSource.create(mailroom.admin(), body);
            Reply poll = mailroom.admin().post("/api/mailboxes/" + id + "/sync?wait=true", null);
            assertThat(poll.json().get("stored").asInt()).as(poll.body()).isEqualTo(20);
            assertThat(parseThreads()).isNotEmpty();
        }

        for (Thread thread : parseThreads()) {
            thread.join(10_000);
        }
        assertThat(parseThreads()).as("a static pool would outlive every Mailroom").isEmpty();
    }
}
