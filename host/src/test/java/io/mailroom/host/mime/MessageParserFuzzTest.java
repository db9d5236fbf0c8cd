package io.mailroom.host.mime;

import io.mailroom.host.fuzz.Fuzzing;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the parsing stage ({@link MessageParser}) with messages from
 * {@link MailGrammar}: grammar-made messages, mutations of them and of the hostile corpus, and
 * random bytes. Whatever the bytes, a parse ends, throws nothing but
 * {@link UnparseableMessageException} (and that not for a failure of the parser itself), and
 * gives values within their bounds; an attachment it lists can be read again by its part, with
 * the size and hash it recorded ({@link ParseProperty}). Tries and time are bounded for CI; see
 * docs/RELIABILITY.md for a longer run. {@link MessageParserCoverageFuzzTest} holds the same
 * property against inputs that Jazzer's coverage guidance finds.
 */
class MessageParserFuzzTest {

    private static final Duration PER_TRY = Duration.ofSeconds(30);
    private final MessageParser parser = new MessageParser();

    @Test
    void any_bytes_parse_within_the_bounds_or_are_refused_as_not_a_message() {
        Fuzzing.Run run = Fuzzing.forAll("parser", 3_000, PER_TRY, MailGrammar::any,
                raw -> ParseProperty.holds(parser, raw));
        assertThat(run.tries()).isPositive();
    }
}
