package io.mailroom.host.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a parse promises whatever the bytes: it ends, throws nothing but
 * {@link UnparseableMessageException} (and that not for a failure of the parser itself), gives
 * values within their bounds ({@link ParsedBounds}), and every attachment it lists can be read
 * again by its part with the size and hash it recorded.
 */
final class ParseProperty {

    private ParseProperty() {
    }

    static void holds(MessageParser parser, byte[] raw) {
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
