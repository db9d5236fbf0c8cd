package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.mime.BrokenMail;
import io.mailroom.host.mime.MailGrammar;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import io.mailroom.host.mime.UnparseableMessageException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the filter DSL promises whatever the tree: it compiles, or is refused with a
 * {@link FilterException} whose path names where, never another exception; and a compiled filter
 * evaluates on hostile messages (the broken-mail corpus and grammar-made mail) without one.
 */
final class FilterProperty {

    private static List<MessageFacts> hostile;

    private FilterProperty() {
    }

    /** The filter {@code tree} compiles to, or empty when it was refused as it should be. */
    static Optional<MessageFilter> compilesOrNamesThePath(FilterCompiler compiler, JsonNode tree) {
        try {
            return Optional.of(compiler.compile(tree, "filter_query"));
        } catch (FilterException refused) {
            assertThat(refused.path()).isNotBlank().startsWith("filter_query");
            assertThat(refused.getMessage()).isNotBlank();
            return Optional.empty();
        }
    }

    static void evaluatesOnHostileMail(MessageFilter filter) {
        for (MessageFacts facts : hostileMail()) {
            filter.test(facts);
        }
    }

    /** The hostile messages as filters see them; parsed once (a few seconds: call it before timing tries). */
    static synchronized List<MessageFacts> hostileMail() {
        if (hostile == null) {
            MessageParser parser = new MessageParser();
            List<byte[]> raws = new ArrayList<>();
            BrokenMail.byName().values().forEach(mail -> raws.add(mail.raw()));
            raws.addAll(MailGrammar.smallCorpus());
            SplittableRandom random = new SplittableRandom(15);
            for (int i = 0; i < 40; i++) {
                raws.add(MailGrammar.any(random));
            }
            List<MessageFacts> facts = new ArrayList<>();
            for (byte[] raw : raws) {
                try {
                    ParsedMessage parsed = parser.parse(new ByteArrayInputStream(raw));
                    facts.add(new MessageFacts(parsed, "INBOX", "normal", "inbound", List.of("a", ""), raw.length,
                            Instant.parse("2026-11-16T10:00:00Z"), null));
                } catch (UnparseableMessageException notAMessage) {
                    // quarantined: no filter sees it
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            hostile = List.copyOf(facts);
        }
        return hostile;
    }
}
