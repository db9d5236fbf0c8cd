package io.mailroom.host.mime;

import org.jsoup.nodes.Document;
import org.jsoup.parser.Parser;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;

/**
 * Parses an HTML body once for both {@link HtmlSanitizer} and {@link HtmlToText}, feeding jsoup
 * through a reader that checks the {@link ParseBudget} on every buffer it hands over: jsoup's
 * parse is linear, but its constant on deeply nested markup is large, and this is the one loop
 * of a message's parse that is not ours.
 */
final class HtmlDocuments {

    private HtmlDocuments() {
    }

    static Document parse(String html, ParseBudget budget) {
        return Parser.htmlParser().parseInput(new BudgetedReader(html, budget), "");
    }

    private static final class BudgetedReader extends Reader {
        private final StringReader in;
        private final ParseBudget budget;

        BudgetedReader(String html, ParseBudget budget) {
            this.in = new StringReader(html);
            this.budget = budget;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            budget.check();
            return in.read(buffer, offset, length);
        }

        @Override
        public void close() {
            in.close();
        }
    }
}
