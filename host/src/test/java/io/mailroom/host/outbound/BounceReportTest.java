package io.mailroom.host.outbound;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BounceReportTest {

    @Test
    void a_bounce_that_does_not_return_the_original_headers_is_tied_to_nothing_not_to_its_own_message_id() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/mime/dsn-bounce.eml")) {
            assertThat(BounceReport.read(in.readAllBytes())).isEmpty();
        }
    }

    @Test
    void a_mailer_daemon_text_bounce_quoting_the_original_headers_names_the_original() {
        String bounce = String.join("\r\n",
                "From: MAILER-DAEMON@old.example", "Subject: failure notice", "Message-ID: <own@old.example>", "",
                "Hi. This is the qmail-send program at old.example.",
                "<gone@customer.example>:", "Sorry, no mailbox here by that name. (#5.1.1)", "",
                "--- Below this line is a copy of the message.", "",
                "From: support@example.com", "message-id:   <abc-123@example.com>", "Subject: hello", "");

        BounceReport report = BounceReport.read(bounce.getBytes(StandardCharsets.US_ASCII)).orElseThrow();

        assertThat(report.originalMessageId()).isEqualTo("<abc-123@example.com>");
        assertThat(report.recipient()).isNull();
    }
}
