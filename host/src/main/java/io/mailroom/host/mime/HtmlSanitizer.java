package io.mailroom.host.mime;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Makes an HTML body safe to serve from the API (ARCHITECTURE.md, "Security"): an allowlist of
 * formatting tags and attributes (jsoup's {@link Safelist#relaxed()} plus what email layouts use:
 * {@code font}, {@code center}, table colours and alignment, inline {@code style} filtered by
 * {@link CssFilter}). Everything else goes: scripts, event handlers, forms, frames, objects, SVG,
 * {@code <style>}, {@code <base>}, {@code <meta>} refreshes, and every URL whose scheme is not
 * allowed ({@code javascript:}, {@code data:}, {@code vbscript:}, relative URLs). Links get
 * {@code rel="noopener noreferrer nofollow"}. Images may be {@code cid:} (inline parts of the same
 * message) or http(s); remote images are kept, so a client that must not load them should block
 * them (e.g. with a Content-Security-Policy).
 *
 * <p>Thread-safe: the allowlist is built once and only read.
 */
public final class HtmlSanitizer {

    private static final String[] LAYOUT = {"align", "valign", "bgcolor", "width", "height", "border",
        "cellpadding", "cellspacing", "nowrap", "colspan", "rowspan"};

    private final Safelist safelist = Safelist.relaxed()
            .addTags("center", "font", "hr", "s", "del", "ins", "abbr", "address", "big", "tt", "kbd", "samp",
                    "var", "mark", "figure", "figcaption", "section", "article", "header", "footer", "main")
            .addAttributes(":all", "style", "title", "dir", "lang", "align")
            .addAttributes("table", LAYOUT).addAttributes("tr", LAYOUT).addAttributes("td", LAYOUT)
            .addAttributes("th", LAYOUT).addAttributes("tbody", LAYOUT).addAttributes("col", LAYOUT)
            .addAttributes("font", "color", "face", "size")
            .addAttributes("img", "width", "height", "alt", "title", "border")
            .addProtocols("img", "src", "cid")
            .addProtocols("a", "href", "tel")
            .removeProtocols("a", "href", "ftp")
            .addEnforcedAttribute("a", "rel", "noopener noreferrer nofollow");

    /** The sanitized body HTML (a fragment, without {@code <html>} or {@code <body>}); empty for blank input. */
    public String sanitize(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        return sanitize(Jsoup.parse(html));
    }

    /** The sanitized body of a parsed document; the document is not changed. */
    String sanitize(Document dirty) {
        Document source = dirty;
        if (!dirty.baseUri().isEmpty()) {
            // a <base href> in the message (the parser takes it as the document's base) would make
            // a relative URL, which the allowlist drops, absolute: a load from the sender's server
            source = dirty.clone();
            source.setBaseUri("");
        }
        Document clean = new Cleaner(safelist).clean(source);
        for (Element styled : clean.body().select("[style]")) {
            String style = CssFilter.filter(styled.attr("style"));
            if (style.isEmpty()) {
                styled.removeAttr("style");
            } else {
                styled.attr("style", style);
            }
        }
        clean.body().select("img:not([src])").remove(); // its only URL was unsafe
        clean.outputSettings().prettyPrint(false);
        return clean.body().html();
    }
}
