package io.mailroom.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mailroom.log.format=json}: every line on standard error is one JSON object. */
class JsonLogLinesTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailroom.host.pipeline.MailboxSync");
    private final PrintStream stderr = System.err;

    @AfterEach
    void back_to_text() {
        System.setErr(stderr);
        System.clearProperty("mailroom.log.format");
        CommandRun.of("keys", "generate");
    }

    @Test
    void with_json_each_log_line_is_an_object_with_time_level_logger_thread_mdc_message_and_exception() throws Exception {
        System.setProperty("mailroom.log.format", "json");
        CommandRun.of("keys", "generate");

        List<String> lines = capture(() -> {
            MDC.put("mailbox", "12");
            try {
                LOG.info("Mailbox {} synced: {} stored", 12, 3);
                LOG.warn("Mailbox 12 failed", new IllegalStateException("connection reset \"quoted\"\nsecond line"));
            } finally {
                MDC.remove("mailbox");
            }
        });

        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode info = json.readTree(lines.get(0));
        assertThat(info.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(info.path("level").asText()).isEqualTo("INFO");
        assertThat(info.path("logger").asText()).isEqualTo("io.mailroom.host.pipeline.MailboxSync");
        assertThat(info.path("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(info.path("mdc").path("mailbox").asText()).isEqualTo("12");
        assertThat(info.path("message").asText()).isEqualTo("Mailbox 12 synced: 3 stored");
        assertThat(info.has("exception")).isFalse();
        JsonNode warn = json.readTree(lines.get(1));
        assertThat(warn.path("level").asText()).isEqualTo("WARN");
        assertThat(warn.path("exception").asText()).startsWith("java.lang.IllegalStateException: connection reset \"quoted\"")
                .contains("\tat ");
    }

    @Test
    void text_stays_the_default_and_an_unknown_format_is_refused_naming_the_key() {
        assertThat(capture(() -> LOG.info("plain"))).singleElement().satisfies(line ->
                assertThat(line).doesNotStartWith("{").contains("INFO").endsWith("plain"));

        System.setProperty("mailroom.log.format", "xml");
        CommandRun run = CommandRun.of("plugins");
        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.err()).contains("mailroom.log.format").contains("text, json");
    }

    private List<String> capture(Runnable logging) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setErr(stderr);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
