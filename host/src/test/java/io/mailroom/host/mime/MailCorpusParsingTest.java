package io.mailroom.host.mime;

import io.mailroom.testkit.mail.MailCorpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The testkit's realistic corpus (replies, newsletters, attachments) parses into what its
 * headers and parts say, message by message, with nothing repaired and nothing cut.
 */
class MailCorpusParsingTest {

    private static final Pattern HEADER = Pattern.compile("(?m)^(Subject|From|Message-ID|Date): (.*)\r$");

    @Test
    void every_message_of_the_corpus_yields_its_subject_sender_body_and_attachments() {
        List<byte[]> corpus = MailCorpus.generate(300, 8L, Instant.parse("2026-01-05T09:00:00Z"));
        MessageParser parser = new MessageParser();
        int withAttachment = 0;
        int withHtml = 0;
        for (byte[] raw : corpus) {
            String text = new String(raw, StandardCharsets.UTF_8);
            String head = text.substring(0, text.indexOf("\r\n\r\n") + 2);
            try (ParsedMessage message = Samples.parse(parser, raw)) {
                Matcher m = HEADER.matcher(head);
                while (m.find()) {
                    switch (m.group(1)) {
                        case "Subject" -> assertThat(message.subject()).isEqualTo(m.group(2));
                        case "From" -> assertThat(m.group(2)).endsWith("<" + message.from().email() + ">")
                                .startsWith(message.from().name());
                        case "Message-ID" -> assertThat("<" + message.messageId() + ">").isEqualTo(m.group(2));
                        default -> assertThat(message.date()).isNotNull();
                    }
                }
                assertThat(message.text()).isNotBlank();
                assertThat(message.warnings()).isEmpty();
                assertThat(message.cut()).isFalse();
                if (head.contains("multipart/mixed")) {
                    withAttachment++;
                    assertThat(message.attachments()).singleElement().satisfies(a -> {
                        assertThat(a.filename()).isEqualTo("scan.pdf");
                        assertThat(a.contentType()).isEqualTo("application/pdf");
                        assertThat(a.size()).isBetween(20_000L, 320_000L);
                        assertThat(a.stored()).isTrue();
                    });
                } else {
                    assertThat(message.attachments()).isEmpty();
                }
                if (head.contains("multipart/alternative")) {
                    withHtml++;
                    assertThat(message.html()).contains("<p").doesNotContain("<html");
                    assertThat(new Classifier().classify(message).id()).isEqualTo("bulk");
                }
                if (head.contains("In-Reply-To:")) {
                    assertThat(message.inReplyTo()).isNotNull();
                    assertThat(message.references()).containsExactly(message.inReplyTo());
                }
            }
        }
        assertThat(withAttachment).isGreaterThan(20);
        assertThat(withHtml).isGreaterThan(20);
    }
}
