package io.mailroom.host.mime;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import java.util.Locale;
import java.util.Set;

/**
 * Plain text from an HTML body, for messages that have no text part: filters, rules, search and
 * ticket sinks work on text. Block elements become line breaks (paragraphs and headings a blank
 * line), list items get a dash, links keep their target as {@code text (url)}, entities are decoded
 * by the parser, and scripts, styles and the head are skipped. Not a renderer: tables become rows of
 * cells separated by spaces.
 */
public final class HtmlToText {

    private static final Set<String> BLOCKS = Set.of("div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
            "li", "dl", "dt", "dd", "table", "tr", "blockquote", "pre", "hr", "section", "article", "header",
            "footer", "main", "nav", "aside", "address", "figure", "figcaption", "center", "form", "fieldset");
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "table",
            "blockquote", "ul", "ol", "pre", "hr");
    private static final Set<String> SKIPPED = Set.of("script", "style", "head", "title", "template", "noscript");

    private HtmlToText() {
    }

    public static String convert(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        return convert(Jsoup.parse(html), null);
    }

    /** The text of a parsed document; the budget, when given, is checked every few thousand nodes. */
    static String convert(Document document, ParseBudget budget) {
        Writer writer = new Writer(budget);
        NodeTraversor.traverse(writer, document.body());
        return writer.result();
    }

    private static final class Writer implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        private final ParseBudget budget;
        private int skipping;
        private int preformatted;
        private int visited;

        Writer(ParseBudget budget) {
            this.budget = budget;
        }

        @Override
        public void head(Node node, int depth) {
            if (budget != null && (++visited & 0xFFF) == 0) {
                budget.check();
            }
            if (node instanceof TextNode text) {
                if (skipping == 0) {
                    append(preformatted > 0 ? text.getWholeText() : text.text());
                }
            } else if (node instanceof Element element) {
                String tag = element.normalName();
                if (SKIPPED.contains(tag)) {
                    skipping++;
                } else if (tag.equals("br")) {
                    out.append('\n');
                } else if (tag.equals("pre")) {
                    preformatted++;
                }
                if (skipping == 0) {
                    if (BLOCKS.contains(tag)) {
                        newline(PARAGRAPHS.contains(tag));
                    }
                    if (tag.equals("li")) {
                        out.append("- ");
                    } else if ((tag.equals("td") || tag.equals("th")) && element.previousElementSibling() != null) {
                        append(" ");
                    }
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (!(node instanceof Element element)) {
                return;
            }
            String tag = element.normalName();
            if (SKIPPED.contains(tag)) {
                skipping--;
                return;
            }
            if (skipping > 0) {
                return;
            }
            if (tag.equals("pre")) {
                preformatted--;
            }
            if (tag.equals("a")) {
                appendLinkTarget(element);
            }
            if (BLOCKS.contains(tag)) {
                newline(PARAGRAPHS.contains(tag));
            }
        }

        private void appendLinkTarget(Element link) {
            String href = link.attr("href").strip();
            String lower = href.toLowerCase(Locale.ROOT);
            String shown = link.text().strip();
            String target = lower.startsWith("mailto:") ? href.substring(7) : href;
            boolean useful = lower.startsWith("http:") || lower.startsWith("https:") || lower.startsWith("mailto:");
            if (useful && !target.equalsIgnoreCase(shown) && !href.equalsIgnoreCase(shown)) {
                append(shown.isEmpty() ? target : " (" + target + ")");
            }
        }

        private void append(String text) {
            if (text.isEmpty()) {
                return;
            }
            boolean lineStart = out.isEmpty() || out.charAt(out.length() - 1) == '\n';
            boolean afterSpace = lineStart || out.charAt(out.length() - 1) == ' ';
            if (preformatted == 0 && afterSpace) {
                text = text.stripLeading();
            }
            out.append(text);
        }

        private void newline(boolean blankLine) {
            trimTrailingSpaces();
            if (out.isEmpty()) {
                return;
            }
            int wanted = blankLine ? 2 : 1;
            int have = 0;
            for (int i = out.length() - 1; i >= 0 && out.charAt(i) == '\n' && have < wanted; i--) {
                have++;
            }
            out.append("\n".repeat(wanted - have));
        }

        private void trimTrailingSpaces() {
            int end = out.length();
            while (end > 0 && (out.charAt(end - 1) == ' ' || out.charAt(end - 1) == '\t')) {
                end--;
            }
            out.setLength(end);
        }

        String result() {
            return tidy(out).strip();
        }
    }

    /**
     * One pass that drops spaces and tabs before a line break and squeezes three or more line
     * breaks into two (the regexes this replaces backtracked quadratically over a long run of
     * spaces without a line break); no-break spaces count as spaces.
     */
    static String tidy(CharSequence text) {
        StringBuilder out = new StringBuilder(text.length());
        int spacesFrom = -1; // where the current run of spaces and tabs starts in out
        int breaks = 0;      // line breaks since the last visible character
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i) == '\u00A0' ? ' ' : text.charAt(i);
            if (c == '\n') {
                if (spacesFrom >= 0) {
                    out.setLength(spacesFrom);
                    spacesFrom = -1;
                }
                if (++breaks <= 2) {
                    out.append('\n');
                }
            } else if (c == ' ' || c == '\t') {
                if (spacesFrom < 0) {
                    spacesFrom = out.length();
                }
                out.append(c);
            } else {
                spacesFrom = -1;
                breaks = 0;
                out.append(c);
            }
        }
        return out.toString();
    }
}
