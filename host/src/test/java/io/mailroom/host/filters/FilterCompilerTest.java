package io.mailroom.host.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailroom.host.mime.MessageParser;
import io.mailroom.host.mime.ParsedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The filter DSL: every operator on every field type, nesting, and bad input at every depth with its path. */
class FilterCompilerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final FilterCompiler COMPILER = new FilterCompiler(new FilterOperators(null));

    static final String MAIL = """
            From: "Ann Example" <Ann@Mail.Acme.com>
            To: bob@example.org, Carol <carol@example.net>
            Cc: dave@acme.com
            Subject: URGENT: invoice 42 overdue
            Date: Tue, 03 Mar 2026 10:00:00 +0000
            Message-ID: <m1@acme.com>
            List-Id: <news.acme.com>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            Please pay the attached invoice.
            --b
            Content-Type: application/pdf
            Content-Disposition: attachment; filename="Invoice-42.PDF"

            JVBERi0=
            --b--
            """.replace("\n", "\r\n");

    static final MessageFacts FACTS = facts(MAIL, List.of("vip", "Billing"));

    static MessageFacts facts(String raw, List<String> tags) {
        try {
            ParsedMessage parsed = new MessageParser(1 << 20).parse(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
            SenderFacts senders = new SenderFacts() {
                @Override
                public boolean isContact(String email) {
                    return email.equals("ann@mail.acme.com");
                }

                @Override
                public Optional<String> company(String email) {
                    return Optional.of("Acme");
                }
            };
            return new MessageFacts(parsed, "INBOX", "bulk", "inbound", tags, 2048, Instant.parse("2026-03-04T00:00:00Z"),
                    senders);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static boolean matches(String filter) {
        return COMPILER.compile(json(filter), "filter_query").test(FACTS);
    }

    static String pathOf(String filter) {
        try {
            COMPILER.compile(json(filter), "filter_query");
        } catch (FilterException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception").doesNotContain("io.mailroom");
            return e.path();
        }
        throw new AssertionError("accepted: " + filter);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            from            | equals      | 'ANN@mail.acme.com'             | true
            from            | equals      | 'ann@acme.com'                  | false
            from_name       | contains    | 'ann ex'                        | true
            from_domain     | equals      | 'mail.acme.com'                 | true
            from            | domain_in   | ['acme.com']                    | true
            from            | domain_in   | ['ail.acme.com']                | false
            from_domain     | domain_in   | ['ACME.COM']                    | true
            to              | in          | ['Carol@example.net','x@y.z']   | true
            to              | in          | ['dave@acme.com']               | false
            cc              | ends_with   | '@ACME.com'                     | true
            recipients      | equals      | 'dave@acme.com'                 | true
            recipients      | starts_with | 'bob@'                          | true
            subject         | starts_with | 'urgent'                        | true
            subject         | ends_with   | 'OVERDUE'                       | true
            subject         | contains    | 'invoice 42'                    | true
            subject         | contains    | 'invoice 43'                    | false
            subject         | matches     | '^URGENT\\\\b'                  | true
            subject         | matches     | '^urgent'                       | false
            subject         | matches     | '(?i)^urgent'                   | true
            body            | contains    | 'PAY THE'                       | true
            header:List-Id  | contains    | 'news.acme.com'                 | true
            header:X-None   | exists      | true                            | false
            header:X-None   | exists      | false                           | true
            has_attachment  | equals      | true                            | true
            attachment_name | ends_with   | '.pdf'                          | true
            attachment_type | equals      | 'application/pdf'               | true
            size            | gt          | 1024                            | true
            size            | lt          | 1024                            | false
            size            | equals      | 2048                            | true
            size            | in          | [1, 2048]                       | true
            date            | after       | '2026-03-01'                    | true
            date            | before      | '2026-03-03T10:00:01Z'          | true
            date            | before      | '2026-03-03'                    | false
            folder          | equals      | 'inbox'                         | true
            classification  | in          | ['bulk','auto_reply']           | true
            direction       | equals      | 'inbound'                       | true
            tags            | equals      | 'billing'                       | true
            tags            | contains    | 'VI'                            | true
            tags            | exists      | true                            | true
            sender_is_contact | equals    | true                            | true
            sender_company  | equals      | 'acme'                          | true
            """)
    void each_operator_on_each_field_type(String field, String op, String value, boolean expected) {
        assertThat(matches("{'field':'" + field + "','op':'" + op + "','value':" + value + "}")).isEqualTo(expected);
    }

    @Test
    void combinators_nest() {
        String urgentInvoice = "{'all':[{'field':'subject','op':'contains','value':'urgent'},"
                + "{'any':[{'field':'attachment_type','op':'equals','value':'application/pdf'},"
                + "{'not':{'field':'from','op':'domain_in','value':['acme.com']}}]}]}";
        assertThat(matches(urgentInvoice)).isTrue();
        assertThat(matches("{'not':" + urgentInvoice + "}")).isFalse();
        assertThat(matches("{'any':[{'field':'size','op':'gt','value':999999},{'not':{'not':{'field':'tags','op':'equals','value':'vip'}}}]}"))
                .isTrue();
        assertThat(COMPILER.compile(null, "filter_query").test(FACTS)).isTrue();
    }

    @Test
    void a_message_without_a_field_matches_no_condition_on_it_but_exists_false() {
        MessageFacts bare = facts("Subject: hi\r\n\r\nbody\r\n", List.of());
        assertThat(COMPILER.compile(json("{'field':'from','op':'contains','value':'a'}"), "q").test(bare)).isFalse();
        assertThat(COMPILER.compile(json("{'field':'from','op':'exists','value':false}"), "q").test(bare)).isTrue();
        assertThat(COMPILER.compile(json("{'field':'attachment_name','op':'exists'}"), "q").test(bare)).isFalse();
        assertThat(COMPILER.compile(json("{'field':'has_attachment','op':'equals','value':false}"), "q").test(bare)).isTrue();
    }

    @Test
    void bad_input_is_refused_with_the_path_of_the_fault_at_every_depth() {
        String good = "{'field':'subject','op':'contains','value':'x'}";
        assertThat(pathOf("[]")).isEqualTo("filter_query");
        assertThat(pathOf("{}")).isEqualTo("filter_query");
        assertThat(pathOf("{'field':'nope','op':'equals','value':'x'}")).isEqualTo("filter_query.field");
        assertThat(pathOf("{'op':'equals','value':'x'}")).isEqualTo("filter_query.field");
        assertThat(pathOf("{'field':'subject','value':'x'}")).isEqualTo("filter_query.op");
        assertThat(pathOf("{'field':'subject','op':'nope','value':'x'}")).isEqualTo("filter_query.op");
        assertThat(pathOf("{'field':'subject','op':'equals','value':'x','extra':1}")).isEqualTo("filter_query.extra");
        assertThat(pathOf("{'all':[" + good + "," + good + ",{'field':'size','op':'contains','value':'x'}]}"))
                .isEqualTo("filter_query.all[2].op");
        assertThat(pathOf("{'all':[" + good + ",{'any':[" + good + ",{'not':{'field':'size','op':'gt','value':'big'}}]}]}"))
                .isEqualTo("filter_query.all[1].any[1].not.value");
        assertThat(pathOf("{'any':[]}")).isEqualTo("filter_query.any");
        assertThat(pathOf("{'all':" + good + "}")).isEqualTo("filter_query.all");
        assertThat(pathOf("{'not':[" + good + "]}")).isEqualTo("filter_query.not");
        assertThat(pathOf("{'all':[" + good + "],'any':[" + good + "]}")).isEqualTo("filter_query.any");
        assertThat(pathOf("{'any':[" + good + ",{'field':'date','op':'after','value':'yesterday'}]}"))
                .isEqualTo("filter_query.any[1].value");
        assertThat(pathOf("{'field':'subject','op':'matches','value':'(unclosed'}")).isEqualTo("filter_query.value");
        assertThat(pathOf("{'field':'subject','op':'matches','value':'(a{1000}){1000}'}")).isEqualTo("filter_query.value");
        assertThat(pathOf("{'field':'from','op':'domain_in','value':['not a domain']}")).isEqualTo("filter_query.value");
        assertThat(pathOf("{'field':'subject','op':'contains','value':'" + "x".repeat(1001) + "'}")).isEqualTo("filter_query.value");
        assertThat(pathOf("{'field':'to','op':'in','value':[]}")).isEqualTo("filter_query.value");
        assertThat(pathOf("{'field':'header:Bad Name','op':'exists'}")).isEqualTo("filter_query.field");
        assertThat(pathOf("{'field':'has_attachment','op':'equals','value':'yes'}")).isEqualTo("filter_query.value");
        assertThat(pathOf("{'field':'subject','op':'equals'}")).isEqualTo("filter_query.value");
    }

    @Test
    void filters_are_bounded_in_depth_and_size() {
        String leaf = "{'field':'subject','op':'contains','value':'urgent'}";
        String deep = leaf;
        for (int i = 0; i < FilterCompiler.MAX_DEPTH; i++) {
            deep = "{'not':" + deep + "}";
        }
        assertThat(matches(deep)).isTrue(); // eight negations of a match
        assertThat(pathOf("{'not':" + deep + "}")).isEqualTo("filter_query" + ".not".repeat(FilterCompiler.MAX_DEPTH) + ".not");
        String many = "{'any':[" + String.join(",", java.util.Collections.nCopies(FilterCompiler.MAX_LEAVES + 1, leaf)) + "]}";
        assertThat(pathOf(many)).isEqualTo("filter_query.any[" + FilterCompiler.MAX_LEAVES + "]");
    }

    @Test
    void a_hostile_regex_returns_at_once() {
        // catastrophic for a backtracking engine: 2^n paths on a long run of a's with no match
        MessageFilter filter = COMPILER.compile(json("{'field':'body','op':'matches','value':'^(a+)+$'}"), "q");
        MessageFacts hostile = facts("Subject: x\r\n\r\n" + "a".repeat(100_000) + "!\r\n", List.of());
        assertThat(filter.test(hostile)).isFalse();
        MessageFilter nested = COMPILER.compile(json("{'field':'body','op':'matches','value':'(x+x+)+y'}"), "q");
        assertThat(nested.test(facts("Subject: x\r\n\r\n" + "x".repeat(100_000) + "\r\n", List.of()))).isFalse();
    }

    @Test
    void contains_is_linear_on_a_hostile_body() {
        MessageFilter filter = COMPILER.compile(json("{'field':'body','op':'contains','value':'" + "a".repeat(999) + "b'}"), "q");
        assertThat(filter.test(facts("Subject: x\r\n\r\n" + "a".repeat(500_000) + "\r\n", List.of()))).isFalse();
    }
}
