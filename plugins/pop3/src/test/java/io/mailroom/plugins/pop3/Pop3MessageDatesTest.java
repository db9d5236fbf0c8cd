package io.mailroom.plugins.pop3;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class Pop3MessageDatesTest {

    @Test
    void reads_rfc_5322_dates_with_and_without_their_obsolete_forms() {
        assertThat(MessageDates.parse("Tue, 1 Jul 2003 10:52:37 +0200")).isEqualTo(Instant.parse("2003-07-01T08:52:37Z"));
        assertThat(MessageDates.parse(" 1 Jul 03 10:52 EST")).isEqualTo(Instant.parse("2003-07-01T15:52:00Z"));
        assertThat(MessageDates.parse("Wed, 02 Oct 2002 08:00:00 GMT (Coordinated)")).isEqualTo(Instant.parse("2002-10-02T08:00:00Z"));
        assertThat(MessageDates.parse("Thu, 13 Feb 1969 23:32:54 -0330")).isEqualTo(Instant.parse("1969-02-14T03:02:54Z"));
        assertThat(MessageDates.parse("Fri, 21 Nov 97 09:55:06 -0600 (MDT)")).isEqualTo(Instant.parse("1997-11-21T15:55:06Z"));
        assertThat(MessageDates.parse("5 September 2024 7:05:00 +00:00")).isEqualTo(Instant.parse("2024-09-05T07:05:00Z"));
    }

    @Test
    void an_unreadable_date_is_unknown() {
        assertThat(MessageDates.parse("yesterday")).isNull();
        assertThat(MessageDates.parse("31 Feb 2024 10:00:00 +0000")).isNull();
        assertThat(MessageDates.parse(null)).isNull();
    }

    @Test
    void takes_the_date_header_and_the_topmost_received_line_of_a_folded_header() throws IOException {
        String header = """
                Received: from mx.example.com by pop.example.com;
                \tMon, 3 Mar 2025 10:00:05 +0000
                Received: from sender by mx.example.com; Mon, 3 Mar 2025 09:59:00 +0000
                Subject: dated
                DATE: Mon, 3 Mar 2025 09:58:00 +0100

                Date: Sun, 1 Jan 2000 00:00:00 +0000 (in the body: not a header)
                """.replace("\n", "\r\n");

        MessageDates dates = MessageDates.of(new ByteArrayInputStream(header.getBytes(StandardCharsets.US_ASCII)));

        assertThat(dates.date()).isEqualTo(Instant.parse("2025-03-03T08:58:00Z"));
        assertThat(dates.received()).isEqualTo(Instant.parse("2025-03-03T10:00:05Z"));
        assertThat(dates.sent()).isEqualTo(dates.date());
        assertThat(dates.arrived()).isEqualTo(dates.received());
    }

    @Test
    void without_received_lines_the_arrival_is_the_date() {
        MessageDates dates = MessageDates.of("Date: Mon, 3 Mar 2025 09:58:00 +0000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(dates.arrived()).isEqualTo(Instant.parse("2025-03-03T09:58:00Z"));
        assertThat(MessageDates.of(new byte[0])).isEqualTo(MessageDates.UNKNOWN);
    }
}
