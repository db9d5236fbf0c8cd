package io.mailroom.host.mime;

import io.mailroom.api.message.Address;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MessageParserTest {

    @Test
    void a_latin1_subject_without_encoding_decodes() {
        ParsedMessage message = Samples.parse("latin1-raw-headers.eml");

        assertThat(message.subject()).isEqualTo("Grüße aus Köln");
        assertThat(message.from()).isEqualTo(new Address("Jürgen Müller", "juergen.mueller@example.de"));
        assertThat(message.text()).isEqualTo("Schöne Grüße, das kostet 5€.");
        assertThat(message.header("Subject")).containsExactly("Grüße aus Köln");
        assertThat(message.warnings()).isEmpty();
    }

    @Test
    void raw_utf8_headers_and_a_body_mislabelled_us_ascii_decode_as_utf8() {
        ParsedMessage message = Samples.parse("utf8-mislabelled.eml");

        assertThat(message.subject()).isEqualTo("Καλημέρα — naïve café");
        assertThat(message.from()).isEqualTo(new Address("Zoë Δημήτρης", "zoe@example.gr"));
        assertThat(message.to()).containsExactly(new Address("Ελένη", "eleni@example.gr"));
        assertThat(message.text()).isEqualTo("Γειά σου κόσμε, déjà vu.");
        assertThat(message.date()).isEqualTo(Instant.parse("2025-02-03T10:15:00Z"));
    }

    @Test
    void unknown_and_wrong_charsets_fall_back_to_utf8_then_windows_1252() {
        ParsedMessage message = Samples.parse("unknown-charsets.eml");

        assertThat(message.text()).isEqualTo("café first\n\ncafé “quoted” second\n\nwrongly declared café third");
        assertThat(message.warnings()).anyMatch(w -> w.contains("unknown charset \"x-mystery-8\""));
    }

    @Test
    void rfc2047_words_decode_when_adjacent_glued_split_or_malformed() {
        ParsedMessage message = Samples.parse("encoded-words.eml");

        assertThat(message.subject()).isEqualTo("Re: 日本 report");
        assertThat(message.from()).isEqualTo(new Address("Jürgen Müller", "jm@example.de"));
        assertThat(message.to()).containsExactly(new Address("Éloise", "elo@example.fr"),
                new Address("Björk", "bjork@example.is"));
        assertThat(message.cc()).containsExactly(new Address("Hello Wörld!", "world@example.com"));
        assertThat(message.firstHeader("x-mixed")).isEqualTo("café and =?utf-8?q?unterminated");
        assertThat(message.firstHeader("x-glued")).isEqualTo("Café €5");
        assertThat(message.firstHeader("x-lang")).isEqualTo("Straße");
    }

    @Test
    void rfc2231_filenames_with_continuations_and_encoded_or_raw_names_decode() {
        ParsedMessage message = Samples.parse("rfc2231-filenames.eml");

        assertThat(message.attachments()).extracting(ParsedAttachment::filename)
                .containsExactly("Rechnung März 2025.pdf", "€-report.txt", "Übersicht.xlsx", "pass wd", "Größe.bin");
        assertThat(message.attachments().get(0).contentType()).isEqualTo("application/pdf");
        assertThat(message.attachments().get(0).size()).isEqualTo(3 * "%PDF-1.4\n% fake pdf for tests\n".length());
        assertThat(message.text()).isEqualTo("Five files.");
    }

    @Test
    void a_forwarded_message_is_one_attachment_named_after_its_subject() {
        ParsedMessage message = Samples.parse("nested-rfc822.eml");

        assertThat(message.text()).isEqualTo("See the forwarded message.");
        assertThat(message.attachments()).singleElement().satisfies(attachment -> {
            assertThat(attachment.contentType()).isEqualTo("message/rfc822");
            assertThat(attachment.filename()).isEqualTo("Inner subject ✓.eml");
            assertThat(attachment.stored()).isTrue();
        });
        ParsedMessage inner = Samples.parse(new MessageParser(),
                Samples.attachment(Samples.bytes("nested-rfc822.eml"), message.attachments().get(0)));
        assertThat(inner.messageId()).isEqualTo("inner.1@example.org");
        assertThat(inner.text()).isEqualTo("Inner body text.");
        assertThat(inner.attachments()).extracting(ParsedAttachment::filename).containsExactly("inner.png");
    }

    @Test
    void an_html_only_message_gets_text_and_sanitized_html() {
        ParsedMessage message = Samples.parse("html-only.eml");

        assertThat(message.text()).startsWith("Quarterly report\n\nPrices in € & café. Bold and italic.")
                .contains("the report (https://example.com/report)").contains("- one\n- two")
                .doesNotContain("alert").doesNotContain("steal");
        assertThat(message.html()).contains("<h1>", "<b>Bold</b>", "src=\"cid:logo@example\"",
                        "href=\"https://example.com/report\"", "style=\"color: red\"")
                .doesNotContain("script", "onload", "onerror", "javascript:", "iframe", "<form", "url(", "position");
    }

    @Test
    void an_inline_image_keeps_its_content_id_and_alternative_parts_are_not_doubled() {
        ParsedMessage message = Samples.parse("related-cid.eml");

        assertThat(message.text()).isEqualTo("Plain version with logo.");
        assertThat(message.html()).isEqualTo("<p>HTML version <img src=\"cid:logo@example\" alt=\"logo\"></p>");
        assertThat(message.attachments()).singleElement().satisfies(image -> {
            assertThat(image.contentId()).isEqualTo("logo@example");
            assertThat(image.inline()).isTrue();
            assertThat(image.contentType()).isEqualTo("image/png");
            assertThat(image.filename()).isEqualTo("attachment-1.png");
        });
    }

    @Test
    void a_boundary_parameter_that_does_not_match_the_body_is_guessed() {
        ParsedMessage message = Samples.parse("wrong-boundary.eml");

        assertThat(message.text()).isEqualTo("Text from the real first part.");
        assertThat(message.warnings()).anyMatch(w -> w.contains("boundary missing or wrong"));
        assertThat(message.attachments()).singleElement().satisfies(a -> {
            assertThat(a.filename()).isEqualTo("data.bin");
            assertThat(Samples.attachment(Samples.bytes("wrong-boundary.eml"), a)).containsExactly(0, 1, 2, 3, 4);
        });
    }

    @Test
    void a_multipart_sent_base64_encoded_is_decoded_before_it_is_split() {
        String body = "--q\r\nContent-Type: text/plain\r\n\r\ninside\r\n--q--\r\n";
        ParsedMessage message = Samples.parseText("From: a@example.com\nContent-Type: multipart/mixed; boundary=q\n"
                + "Content-Transfer-Encoding: base64\n\n"
                + java.util.Base64.getMimeEncoder().encodeToString(body.getBytes(StandardCharsets.US_ASCII)));

        assertThat(message.text()).isEqualTo("inside");
    }

    @Test
    void an_html_part_without_a_charset_parameter_uses_its_meta_charset() {
        byte[] head = ("From: a@example.com\r\nContent-Type: text/html\r\n\r\n"
                + "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head>"
                + "<body><p>").getBytes(StandardCharsets.US_ASCII);
        byte[] russian = "Привет".getBytes(java.nio.charset.Charset.forName("windows-1251"));
        byte[] tail = "</p></body></html>".getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[head.length + russian.length + tail.length];
        System.arraycopy(head, 0, raw, 0, head.length);
        System.arraycopy(russian, 0, raw, head.length, russian.length);
        System.arraycopy(tail, 0, raw, head.length + russian.length, tail.length);

        ParsedMessage message = Samples.parse(new MessageParser(), raw);

        assertThat(message.text()).isEqualTo("Привет");
        assertThat(message.html()).isEqualTo("<p>Привет</p>");
    }

    @Test
    void header_values_over_8_kb_are_left_out_of_the_header_map_but_the_rest_is_kept() {
        ParsedMessage message = Samples.parseText("From: a@example.com\nX-Huge: " + "x".repeat(9000)
                + "\nX-Small: =?utf-8?q?small_=E2=9C=93?=\nSubject: ok\n\nbody");

        assertThat(message.headers()).doesNotContainKey("x-huge").containsEntry("x-small", java.util.List.of("small ✓"));
        assertThat(message.headers().keySet()).containsExactly("from", "x-small", "subject");
    }

    @Test
    void a_missing_end_boundary_keeps_the_parts_before_the_cut() {
        ParsedMessage message = Samples.parse("missing-end-boundary.eml");

        assertThat(message.text()).isEqualTo("Text before the cut.");
        assertThat(message.attachments()).extracting(ParsedAttachment::filename).containsExactly("cut.pdf");
        assertThat(Samples.attachment(Samples.bytes("missing-end-boundary.eml"), message.attachments().get(0))).startsWith("%PDF-1.4".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void a_multipart_without_boundaries_is_read_as_text() {
        ParsedMessage message = Samples.parse("no-boundary-at-all.eml");

        assertThat(message.text()).isEqualTo("Just some text that a broken mailer sent as multipart.");
        assertThat(message.warnings()).anyMatch(w -> w.contains("without a usable boundary"));
    }

    @Test
    void format_flowed_text_is_joined_into_paragraphs() {
        ParsedMessage message = Samples.parse("flowed.eml");

        assertThat(message.text()).isEqualTo("""
                This is a long paragraph that the sender's client wrapped at seventy-two columns, \
                and it should come back as one line.

                > Quoted text that was also wrapped by the client.
                From the start, space-stuffed.
                --\s
                Signature""");
    }

    @Test
    void broken_base64_and_quoted_printable_decode_leniently() {
        ParsedMessage message = Samples.parse("bad-encodings.eml");

        assertThat(message.text()).isEqualTo("Price = 5€, broken =ZZ escape, lone = sign, softbreak.");
        assertThat(message.attachments()).singleElement().satisfies(a ->
                assertThat(new String(Samples.attachment(Samples.bytes("bad-encodings.eml"), a), StandardCharsets.US_ASCII)).isEqualTo("Hello attachment bytes 0123456789"));
    }

    @Test
    void a_garbage_date_falls_back_to_the_next_date_header_and_a_missing_message_id_is_null() {
        ParsedMessage message = Samples.parse("garbage-duplicate-date.eml");

        assertThat(message.date()).isEqualTo(Instant.parse("2025-03-04T19:05:00Z"));
        assertThat(message.messageId()).isNull();
        assertThat(message.header("date")).containsExactly("sometime last week", "Tue, 4 Mar 25 14:05 EST");
    }

    @Test
    void a_missing_date_is_taken_from_the_newest_received_header() {
        ParsedMessage message = Samples.parse("no-date.eml");

        assertThat(message.date()).isEqualTo(Instant.parse("2025-02-12T15:30:00Z"));
        assertThat(message.warnings()).contains("no Date header");
    }

    @Test
    void message_ids_references_and_reply_to_are_read_without_brackets_or_comments() {
        ParsedMessage message = Samples.parse("normal-reply.eml");

        assertThat(message.messageId()).isEqualTo("reply.3@customer.example");
        assertThat(message.inReplyTo()).isEqualTo("invoice42@example.com");
        assertThat(message.references()).containsExactly("invoice41@example.com", "invoice42@example.com");
        assertThat(message.replyTo()).containsExactly(new Address("", "dave.private@customer.example"));
        assertThat(message.to()).containsExactly(new Address("Support", "support@example.com"));
        assertThat(message.date()).isEqualTo(Instant.parse("2025-02-14T08:00:00Z"));
        assertThat(message.contentType()).isEqualTo("text/plain");
        assertThat(message.size()).isEqualTo(Samples.bytes("normal-reply.eml").length);
    }

    @Test
    void the_same_bytes_get_the_same_hash_whatever_their_name_or_encoding() {
        ParsedMessage message = Samples.parse("same-attachment-twice.eml");

        assertThat(message.attachments()).hasSize(2);
        ParsedAttachment first = message.attachments().get(0);
        ParsedAttachment second = message.attachments().get(1);
        assertThat(first.size()).isEqualTo(1024);
        assertThat(second.sha256()).isEqualTo(first.sha256()).hasSize(64);
        assertThat(first.index()).isZero();
        assertThat(second.index()).isEqualTo(1);
    }

    @Test
    void an_attachment_over_the_limit_keeps_only_its_metadata() {
        byte[] raw = Samples.bytes("same-attachment-twice.eml");
        ParsedMessage small = Samples.parse(new MessageParser(1000), raw);
        ParsedMessage large = Samples.parse(new MessageParser(1024), raw);

        assertThat(small.attachments()).allSatisfy(a -> {
            assertThat(a.stored()).isFalse();
            assertThat(a.size()).isEqualTo(1024);
            assertThat(a.toInfo().stored()).isFalse();
        });
        assertThat(small.attachments().get(0).sha256()).isEqualTo(large.attachments().get(0).sha256());
        assertThat(large.attachments()).allSatisfy(a -> assertThat(a.stored()).isTrue());
    }

    @Test
    void attachments_are_addressed_by_their_imap_part_numbers_and_copied_again_byte_for_byte() {
        String message = """
                From: a@example.com
                Subject: parts
                Content-Type: multipart/mixed; boundary=outer

                --outer
                Content-Type: multipart/alternative; boundary=inner

                --inner
                Content-Type: text/plain

                text
                --inner
                Content-Type: text/html

                <p>html</p>
                --inner--
                --outer
                Content-Type: multipart/related; boundary=rel

                --rel
                Content-Type: application/octet-stream; name="b\u00e9.bin"
                Content-Transfer-Encoding: base64

                AAECAwQ=
                --rel
                Content-Type: text/plain; name="r\u00e9sum\u00e9.txt"
                Content-Transfer-Encoding: quoted-printable

                caf=C3=A9 =
                soft
                --rel--
                --outer
                Content-Type: message/rfc822

                Subject: inner

                inner body
                --outer--
                """.replace("\n", "\r\n");
        byte[] raw = message.getBytes(StandardCharsets.UTF_8);
        ParsedMessage parsed = Samples.parse(new MessageParser(), raw);

        assertThat(parsed.text()).isEqualTo("text");
        assertThat(parsed.attachments()).extracting(ParsedAttachment::part).containsExactly("2.1", "2.2", "3");
        assertThat(Samples.attachment(raw, parsed.attachments().get(0))).containsExactly(0, 1, 2, 3, 4);
        assertThat(new String(Samples.attachment(raw, parsed.attachments().get(1)), StandardCharsets.UTF_8))
                .isEqualTo("café soft");
        assertThat(new String(Samples.attachment(raw, parsed.attachments().get(2)), StandardCharsets.US_ASCII))
                .isEqualTo("Subject: inner\r\n\r\ninner body");
    }

    @Test
    void a_message_that_is_one_attachment_has_it_at_part_1() {
        byte[] raw = "From: a@example.com\r\nContent-Type: application/pdf; name=a.pdf\r\n\r\n%PDF-1.4\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ParsedMessage parsed = Samples.parse(new MessageParser(), raw);

        assertThat(parsed.attachments()).singleElement().satisfies(a -> {
            assertThat(a.part()).isEqualTo("1");
            assertThat(new String(Samples.attachment(raw, a), StandardCharsets.US_ASCII)).isEqualTo("%PDF-1.4\r\n");
        });
    }

    @Test
    void attachments_of_a_message_cut_at_the_part_limit_are_copied_again_from_before_the_cut() {
        StringBuilder message = new StringBuilder("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n");
        for (int i = 0; i < MimeTreeWalker.MAX_PARTS + 50; i++) {
            message.append("--m\r\nContent-Type: application/octet-stream; name=").append(i).append(".bin\r\n\r\n")
                    .append("bytes of ").append(i).append("\r\n");
        }
        byte[] raw = message.append("--m--\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        ParsedMessage parsed = Samples.parse(new MessageParser(), raw);

        assertThat(parsed.cut()).isTrue();
        ParsedAttachment last = parsed.attachments().getLast();
        assertThat(new String(Samples.attachment(raw, parsed.attachments().getFirst()), StandardCharsets.US_ASCII))
                .isEqualTo("bytes of 0");
        assertThat(new String(Samples.attachment(raw, last), StandardCharsets.US_ASCII))
                .isEqualTo("bytes of " + (parsed.attachments().size() - 1));
    }

    @Test
    void a_large_attachment_is_counted_and_hashed_not_kept_and_is_copied_again_from_the_raw_message() throws IOException {
        byte[] payload = new byte[1_500_000];
        new java.util.Random(7).nextBytes(payload);
        String message = "From: a@example.com\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n"
                + "--z\r\nContent-Type: text/plain\r\n\r\nbig one\r\n--z\r\nContent-Type: application/zip; name=big.zip\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + java.util.Base64.getMimeEncoder().encodeToString(payload)
                + "\r\n--z--\r\n";
        byte[] raw = message.getBytes(StandardCharsets.US_ASCII);
        ParsedMessage parsed;
        try (InputStream in = new ByteArrayInputStream(raw)) {
            parsed = new MessageParser().parse(in);
        }
        ParsedAttachment zip = parsed.attachments().get(0);

        assertThat(parsed.text()).isEqualTo("big one");
        assertThat(zip.part()).isEqualTo("2");
        assertThat(zip.size()).isEqualTo(payload.length);
        assertThat(Samples.attachment(raw, zip)).isEqualTo(payload);
        java.io.ByteArrayOutputStream nothing = new java.io.ByteArrayOutputStream();
        assertThat(new MessageParser().copyAttachment(new ByteArrayInputStream(raw), "1", nothing)).isEmpty();
        assertThat(new MessageParser().copyAttachment(new ByteArrayInputStream(raw), "3", nothing)).isEmpty();
        assertThat(nothing.size()).isZero();
    }
}
