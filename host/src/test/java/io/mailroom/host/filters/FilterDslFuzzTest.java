package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailroom.host.fuzz.Fuzzing;
import io.mailroom.host.mime.BrokenMail;
import io.mailroom.host.mime.MailGrammar;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import io.mailroom.host.mime.UnparseableMessageException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the filter DSL ({@link FilterCompiler}) with JSON trees from
 * {@link FilterTrees}: any tree compiles or is refused with a {@link FilterException} whose path
 * names where, never another exception; a compiled filter evaluates on hostile messages without
 * one. Tries and time are bounded for CI; see docs/RELIABILITY.md for a longer run.
 */
class FilterDslFuzzTest {

    private static final Duration PER_TRY = Duration.ofSeconds(10);
    private static final List<MessageFacts> HOSTILE = new ArrayList<>();
    private final FilterCompiler compiler = new FilterCompiler(new FilterOperators(null));

    @BeforeAll
    static void hostileMessages() throws IOException {
        MessageParser parser = new MessageParser();
        List<byte[]> raws = new ArrayList<>();
        BrokenMail.byName().values().forEach(mail -> raws.add(mail.raw()));
        raws.addAll(MailGrammar.smallCorpus());
        SplittableRandom random = new SplittableRandom(15);
        for (int i = 0; i < 40; i++) {
            raws.add(MailGrammar.any(random));
        }
        for (byte[] raw : raws) {
            try {
                ParsedMessage parsed = parser.parse(new ByteArrayInputStream(raw));
                HOSTILE.add(new MessageFacts(parsed, "INBOX", "normal", "inbound", List.of("a", ""), raw.length,
                        Instant.parse("2026-11-16T10:00:00Z"), null));
            } catch (UnparseableMessageException notAMessage) {
                // quarantined: no filter sees it
            }
        }
    }

    @Test
    void any_tree_compiles_or_is_refused_with_the_path_of_its_fault() {
        Fuzzing.Run run = Fuzzing.forAll("filter compile", 10_000, PER_TRY, FilterTrees::any, this::compilesOrNamesThePath);
        assertThat(run.tries()).isPositive();
    }

    @Test
    void a_compiled_filter_evaluates_on_hostile_messages_without_an_exception() {
        int[] compiled = new int[1];
        Fuzzing.Run run = Fuzzing.forAll("filter evaluate", 10_000, PER_TRY, FilterTrees::likelyValid, tree -> {
            MessageFilter filter;
            try {
                filter = compiler.compile(tree, "filter_query");
            } catch (FilterException refused) {
                return;
            }
            compiled[0]++;
            for (MessageFacts facts : HOSTILE) {
                filter.test(facts);
            }
        });
        assertThat(compiled[0]).as("some of the trees compiled (of %s)", run.tries()).isPositive();
    }

    private void compilesOrNamesThePath(JsonNode tree) {
        try {
            compiler.compile(tree, "filter_query");
        } catch (FilterException refused) {
            assertThat(refused.path()).isNotBlank().startsWith("filter_query");
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
