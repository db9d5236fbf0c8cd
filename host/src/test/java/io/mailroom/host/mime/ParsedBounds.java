package io.mailroom.host.mime;

import io.mailroom.api.message.Address;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a parse promises about its result whatever the input: every value that is stored, indexed
 * or shown is within its limit. Held against the hostile corpus and the fuzzed messages.
 */
public final class ParsedBounds {

    /** Addresses kept per field ({@code AddressListParser}). */
    static final int MAX_ADDRESSES = 1000;

    private ParsedBounds() {
    }

    public static void check(String what, ParsedMessage parsed) {
        assertThat(parsed.subject()).as(what).isNotNull().hasSizeLessThanOrEqualTo(MessageParser.MAX_SUBJECT_CHARS);
        assertThat(SubjectKey.of(parsed.subject())).as(what).hasSizeLessThanOrEqualTo(SubjectKey.MAX_LENGTH);
        assertThat(parsed.text()).as(what).isNotNull();
        assertThat(parsed.text().length() + (parsed.html() == null ? 0 : parsed.html().length())).as(what)
                .isLessThanOrEqualTo(3 * MimeTreeWalker.MAX_TEXT_BYTES);
        assertThat(parsed.headers().values().stream().mapToInt(List::size).sum()).as(what)
                .isLessThanOrEqualTo(MessageParser.MAX_HEADER_FIELDS);
        parsed.headers().forEach((name, values) -> assertThat(values).as(what + ": " + name)
                .allSatisfy(value -> assertThat(value).hasSizeLessThanOrEqualTo(MessageParser.MAX_HEADER_VALUE_CHARS)));
        for (List<Address> addresses : List.of(parsed.to(), parsed.cc(), parsed.bcc(), parsed.replyTo())) {
            assertThat(addresses).as(what).hasSizeLessThanOrEqualTo(MAX_ADDRESSES);
        }
        assertThat(parsed.references()).as(what).hasSizeLessThanOrEqualTo(MessageIds.MAX_REFERENCES);
        for (String id : java.util.Arrays.asList(parsed.messageId(), parsed.inReplyTo())) {
            if (id != null) {
                assertThat(id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as(what)
                        .isLessThanOrEqualTo(MessageIds.MAX_ID_BYTES);
            }
        }
        assertThat(parsed.attachments()).as(what).hasSizeLessThanOrEqualTo(MimeTreeWalker.MAX_PARTS);
        assertThat(parsed.attachments()).as(what).allSatisfy(a -> {
            assertThat(a.filename()).isNotBlank().hasSizeLessThanOrEqualTo(255).doesNotContain("/", "\\");
            assertThat(a.size()).isNotNegative();
            assertThat(a.contentType()).contains("/");
        });
        assertThat(parsed.warnings()).as(what).hasSizeLessThanOrEqualTo(5 * MimeTreeWalker.MAX_PARTS + 50);
        assertThat(parsed.contentType()).as(what).contains("/");
    }
}
