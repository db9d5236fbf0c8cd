package io.mailroom.host.mime;

import io.mailroom.host.fuzz.Fuzzing;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the parsing stage ({@link MessageParser}) with messages from
 * {@link MailGrammar}: grammar-made messages, mutations of them and of the hostile corpus, and
 * random bytes. Whatever the bytes, a parse ends, throws nothing but
 * {@link UnparseableMessageException} (and that not for a failure of the parser itself), and
 * gives values within their bounds; an attachment it lists can be read again by its part, with
 * the size and hash it recorded. Tries and time are bounded for CI; see docs/RELIABILITY.md for
 * a longer run.
 */
class MessageParserFuzzTest {

    private static final Duration PER_TRY = Duration.ofSeconds(30);
    private final MessageParser parser = new MessageParser();

    @Test
    void any_bytes_parse_within_the_bounds_or_are_refused_as_not_a_message() {
        Fuzzing.Run run = Fuzzing.forAll("parser", 3_000, PER_TRY, MailGrammar::any, this::parsesWithinBounds);
        assertThat(run.tries()).isPositive();
    }

    private void parsesWithinBounds(byte[] raw) {
        try (ParsedMessage parsed = parser.parse(new ByteArrayInputStream(raw))) {
            ParsedBounds.check("fuzzed message", parsed);
            if (parsed.cut()) {
                return; // what was left out may hold what a copy would look for
            }
            for (ParsedAttachment attachment : parsed.attachments()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Optional<MessageParser.CopiedAttachment> copied = parser.copyAttachment(new ByteArrayInputStream(raw),
                        attachment.part(), out);
                assertThat(copied).as("attachment %s at part %s", attachment.index(), attachment.part()).isPresent();
                assertThat(copied.get().size()).isEqualTo(attachment.size()).isEqualTo(out.size());
                assertThat(copied.get().sha256()).isEqualTo(attachment.sha256());
            }
        } catch (UnparseableMessageException refused) {
            assertThat(refused.reason()).as("refused for a failure of the parser itself").doesNotStartWith("the parser failed");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
